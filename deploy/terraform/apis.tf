locals {
  name = "paytungan-${var.env}"
  apis = [
    "artifactregistry.googleapis.com",
    # data.google_project (the project number in the services' deterministic URLs) reads it.
    "cloudresourcemanager.googleapis.com",
    "cloudscheduler.googleapis.com",
    "compute.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    # google_project_service itself calls it: enabled by hand first (docs/operations.md, Deploy
    # from zero), listed so that it stays on.
    "serviceusage.googleapis.com",
    "sqladmin.googleapis.com",
    "sts.googleapis.com",
  ]
}

resource "google_project_service" "apis" {
  for_each           = toset(local.apis)
  service            = each.value
  disable_on_destroy = false
}

data "google_project" "this" {
  project_id = var.project_id
  depends_on = [google_project_service.apis]
}
