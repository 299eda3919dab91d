resource "google_artifact_registry_repository" "images" {
  # checkov:skip=CKV_GCP_84:Google-managed encryption keys are enough for application images (no customer data in them)
  repository_id = "paytungan"
  location      = var.region
  format        = "DOCKER"
  description   = "API images (one per commit on main)"
  docker_config {
    immutable_tags = true
  }
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 30
    }
  }
  depends_on = [google_project_service.apis]
}
