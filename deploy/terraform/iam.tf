# One service account per workload, each with only what it uses:
#   api    - Cloud SQL client; its own secrets; writes metrics (the Managed Prometheus sidecar)
#   relay  - Cloud SQL client; its own secrets (also runs the deliver-alerts job)
#   jobs   - Cloud SQL client; secret key + database URL (migrate, prune)
#   mailer - Cloud SQL client; secret key + database URL + SMTP password (send-reminders)
#   scheduler - may start the scheduled jobs, nothing else
#   deployer  - GitHub Actions (deploy.yml) through Workload Identity Federation: push images,
#               set the image of the Cloud Run services/jobs and move traffic, act as the
#               runtime accounts, read request logs (the release's 5xx check)
locals {
  runtime_accounts = {
    api   = ["secret-key", "secret-key-fallbacks", "database-url", "sentry-dsn", "email-password", "metrics-token", "collector-config"]
    relay = ["secret-key", "secret-key-fallbacks", "database-url", "sentry-webhook-secret", "alert-hook-token", "discord-webhook-url", "discord-webhook-routes"]
    jobs  = ["secret-key", "database-url"]
    # The unsubscribe links are signed with the secret key; the SMTP password sends the mail.
    mailer = ["secret-key", "database-url", "email-password"]
  }
  secret_access = merge([
    for account, secrets in local.runtime_accounts : {
      for s in secrets : "${account}/${s}" => { account = account, secret = s }
    }
  ]...)
}

resource "google_service_account" "runtime" {
  for_each     = local.runtime_accounts
  account_id   = "${local.name}-${each.key}"
  display_name = "Paytungan ${var.env} ${each.key}"
  depends_on   = [google_project_service.apis]
}

resource "google_project_iam_member" "api_metrics" {
  project = var.project_id
  role    = "roles/monitoring.metricWriter"
  member  = "serviceAccount:${google_service_account.runtime["api"].email}"
}

resource "google_project_iam_member" "sql_client" {
  for_each = local.runtime_accounts
  project  = var.project_id
  role     = "roles/cloudsql.client"
  member   = "serviceAccount:${google_service_account.runtime[each.key].email}"
}

resource "google_secret_manager_secret_iam_member" "access" {
  for_each  = local.secret_access
  secret_id = local.secret_ids[each.value.secret]
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.runtime[each.value.account].email}"
}

resource "google_service_account" "scheduler" {
  account_id   = "${local.name}-scheduler"
  display_name = "Paytungan ${var.env} Cloud Scheduler"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "deployer" {
  account_id   = "${local.name}-deployer"
  display_name = "Paytungan ${var.env} GitHub deployer"
  depends_on   = [google_project_service.apis]
}

resource "google_project_iam_member" "deployer_logs" {
  project = var.project_id
  role    = "roles/logging.viewer"
  member  = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_artifact_registry_repository_iam_member" "deployer_push" {
  repository = google_artifact_registry_repository.images.name
  location   = var.region
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_project_iam_member" "deployer_run" {
  project = var.project_id
  role    = "roles/run.developer"
  member  = "serviceAccount:${google_service_account.deployer.email}"
}

# Deploying a service that runs as X requires actAs on X: only on the runtime accounts.
resource "google_service_account_iam_member" "deployer_acts_as" {
  for_each           = google_service_account.runtime
  service_account_id = each.value.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

# GitHub Actions -> Google without a JSON key: OIDC tokens of this repository's deploy job only
# (the GitHub environment `staging` / `production` allows the main branch only).
resource "google_iam_workload_identity_pool" "github" {
  workload_identity_pool_id = "${local.name}-github"
  display_name              = "GitHub Actions (${var.env})"
  depends_on                = [google_project_service.apis]
}

resource "google_iam_workload_identity_pool_provider" "github" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = "github"
  attribute_mapping = {
    "google.subject"        = "assertion.sub"
    "attribute.repository"  = "assertion.repository"
    "attribute.ref"         = "assertion.ref"
    "attribute.environment" = "assertion.environment"
  }
  # Only deploy.yml's job in this environment's GitHub environment (its OIDC subject says so).
  attribute_condition = "assertion.sub == 'repo:${var.github_owner}/${var.github_repo}:environment:${var.env}'"
  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account_iam_member" "github_impersonates_deployer" {
  service_account_id = google_service_account.deployer.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.repository/${var.github_owner}/${var.github_repo}"
}
