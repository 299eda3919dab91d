output "api_url" {
  description = "Deterministic run.app URL of the API (the custom domain is var.api_host)"
  value       = "https://paytungan-api-${local.run_suffix}"
}

output "relay_url" {
  description = "The relay's URL: Sentry's webhook and the uptime hook point here"
  value       = "https://paytungan-relay-${local.run_suffix}"
}

output "api_allowed_hosts" {
  value = local.api_hosts
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
