output "api_url" {
  value = google_cloud_run_v2_service.api.uri
}

output "relay_url" {
  value = google_cloud_run_v2_service.relay.uri
}

output "image_repository" {
  value = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "sql_connection_name" {
  value = google_sql_database_instance.main.connection_name
}

output "workload_identity_provider" {
  description = "GitHub Actions: the workload_identity_provider input of google-github-actions/auth"
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "deployer_service_account" {
  value = google_service_account.deployer.email
}
