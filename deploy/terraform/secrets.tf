# Secrets live in Secret Manager and reach the services as env variables. Terraform generates the
# ones nobody needs to know; operators add versions to the others (docs/operations.md), then list
# them in var.operator_secrets. The state holds the generated values: keep its bucket private.
locals {
  generated_secrets = {
    "secret-key"       = random_password.secret_key.result
    "database-url"     = "postgres://${google_sql_user.app.name}:${random_password.db.result}@/${google_sql_database.app.name}?host=/cloudsql/${google_sql_database_instance.main.connection_name}"
    "alert-hook-token" = random_password.alert_hook_token.result
    "metrics-token"    = random_password.metrics_token.result
  }
  operator_secret_names = ["sentry-dsn", "sentry-webhook-secret", "discord-webhook-url", "email-password"]
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

locals {
  secret_ids = merge(
    { for k, s in google_secret_manager_secret.generated : k => s.secret_id },
    { for k, s in google_secret_manager_secret.operator : k => s.secret_id },
  )
}
