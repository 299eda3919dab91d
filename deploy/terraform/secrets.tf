# Secrets live in Secret Manager and reach the services as env variables (or files). Terraform
# generates the ones nobody needs to know; operators add versions to the others
# (docs/operations.md, "Secrets and rotation"), then list them in var.operator_secrets.
#
# Every reference is pinned to a version number, never `latest`: a revision names exactly what it
# runs, and Cloud Run cannot be handed a secret without a version (it refuses the revision). An
# operator secret that is not in var.operator_secrets is never referenced; one that is listed is
# read here (data source) and a listed secret without a version stops `terraform plan`, before
# any service changes. The state holds the generated values: keep its bucket private.
locals {
  generated_secrets = {
    "secret-key"       = random_password.secret_key.result
    "database-url"     = "postgres://${google_sql_user.app.name}:${random_password.db.result}@/${google_sql_database.app.name}?host=/cloudsql/${google_sql_database_instance.main.connection_name}"
    "alert-hook-token" = random_password.alert_hook_token.result
    "metrics-token"    = random_password.metrics_token.result
    # Not secret, but Cloud Run mounts files only from Secret Manager: the metrics sidecar's config.
    "collector-config" = local.collector_config
  }
  operator_secret_names = [
    "sentry-dsn", "sentry-webhook-secret", "discord-webhook-url", "discord-webhook-routes",
    "email-password", "secret-key-fallbacks",
  ]
  # name -> version number, for every secret a service may reference.
  secret_versions = merge(
    { for k, v in google_secret_manager_secret_version.generated : k => v.version },
    { for k, v in data.google_secret_manager_secret_version.operator : k => v.version },
  )
}

resource "random_password" "secret_key" {
  length  = 64
  special = false
}

resource "random_password" "alert_hook_token" {
  length  = 40
  special = false
}

resource "random_password" "metrics_token" {
  length  = 40
  special = false
}

resource "google_secret_manager_secret" "generated" {
  for_each  = local.generated_secrets
  secret_id = "${local.name}-${each.key}"
  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }
  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "generated" {
  for_each    = local.generated_secrets
  secret      = google_secret_manager_secret.generated[each.key].id
  secret_data = each.value
}

resource "google_secret_manager_secret" "operator" {
  for_each  = toset(local.operator_secret_names)
  secret_id = "${local.name}-${each.key}"
  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }
  depends_on = [google_project_service.apis]
}

# The newest enabled version of each operator secret the operator says is filled in. Rotation:
# add a version, `terraform apply` (new revisions pinned to it), then disable the old version.
data "google_secret_manager_secret_version" "operator" {
  for_each = var.operator_secrets
  secret   = google_secret_manager_secret.operator[each.key].secret_id
}

locals {
  secret_ids = merge(
    { for k, s in google_secret_manager_secret.generated : k => s.secret_id },
    { for k, s in google_secret_manager_secret.operator : k => s.secret_id },
  )
}
