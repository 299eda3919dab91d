# A VPC for private connectivity: Cloud SQL gets a private IP only (no public address), and Cloud
# Run reaches it through Direct VPC egress into the "run" subnet.
resource "google_compute_network" "main" {
  name                    = local.name
  auto_create_subnetworks = false
  depends_on              = [google_project_service.apis]
}

resource "google_compute_subnetwork" "run" {
  # checkov:skip=CKV_GCP_26:VPC flow logs on a subnet that only carries Cloud Run -> Cloud SQL traffic cost more than they tell; Cloud SQL logs connections
  name                     = "${local.name}-run"
  network                  = google_compute_network.main.id
  region                   = var.region
  ip_cidr_range            = "10.10.0.0/24"
  private_ip_google_access = true
}

resource "google_compute_global_address" "sql_range" {
  name          = "${local.name}-sql-range"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 20
  network       = google_compute_network.main.id
}

resource "google_service_networking_connection" "sql" {
  network                 = google_compute_network.main.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.sql_range.name]
}

# Nothing in this network accepts connections from outside it: Cloud SQL is reached over the
# peering, Cloud Run egress only initiates.
resource "google_compute_firewall" "deny_ingress" {
  name      = "${local.name}-deny-ingress"
  network   = google_compute_network.main.id
  direction = "INGRESS"
  priority  = 65534
  deny {
    protocol = "all"
  }
  source_ranges = ["0.0.0.0/0"]
  log_config {
    metadata = "EXCLUDE_ALL_METADATA"
  }
}
