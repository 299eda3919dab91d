# Cloud Run v2: the API and the relay (services), migrate / deliver-alerts / prune (jobs).
# Terraform creates them with var.image; every release after that is deployed by
# .github/workflows/deploy.yml from deploy/cloudrun/*.yaml, so the image is not Terraform's.
locals {
  sql_socket = google_sql_database_instance.main.connection_name
  vpc_egress = {
    network    = google_compute_network.main.id
    subnetwork = google_compute_subnetwork.run.id
  }
  api_secrets = {
    SECRET_KEY          = "secret-key"
    DATABASE_URL        = "database-url"
    METRICS_TOKEN       = "metrics-token"
    SENTRY_DSN          = "sentry-dsn"
    EMAIL_HOST_PASSWORD = "email-password"
  }
  relay_secrets = {
    SECRET_KEY            = "secret-key"
    DATABASE_URL          = "database-url"
    ALERT_HOOK_TOKEN      = "alert-hook-token"
    SENTRY_WEBHOOK_SECRET = "sentry-webhook-secret"
    DISCORD_WEBHOOK_URL   = "discord-webhook-url"
    SENTRY_DSN            = "sentry-dsn"
  }
  # An operator secret without a version would fail the deploy: wire only the ones that have one.
  wired = setunion(keys(local.generated_secrets), var.operator_secrets)
  api_env = {
    DEBUG                     = "0"
    ALLOWED_HOSTS             = var.api_host
    CSRF_TRUSTED_ORIGINS      = var.frontend_origin
    FRONTEND_URL              = var.frontend_origin
    NUM_PROXIES               = tostring(var.num_proxies)
    FORWARDED_ALLOW_IPS       = "*"
    WEB_CONCURRENCY           = tostring(var.api_workers)
    GUNICORN_THREADS          = tostring(var.api_threads)
    GUNICORN_GRACEFUL_TIMEOUT = "8"
    DB_CONN_MAX_AGE           = "60"
    SENTRY_ENVIRONMENT        = var.env
    EMAIL_HOST                = var.email_host
    EMAIL_HOST_USER           = var.email_host_user
    EMAIL_PORT                = "587"
    EMAIL_USE_TLS             = "1"
  }
}

resource "google_cloud_run_v2_service" "api" {
  name                = "paytungan-api"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = var.env == "production"

  template {
    service_account                  = google_service_account.runtime["api"].email
    max_instance_request_concurrency = var.api_workers * var.api_threads
    timeout                          = "30s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"
    scaling {
      min_instance_count = var.api_min_instances
      max_instance_count = var.api_max_instances
    }
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = local.vpc_egress.network
        subnetwork = local.vpc_egress.subnetwork
      }
    }
    volumes {
      name = "cloudsql"
      cloud_sql_instance {
        instances = [local.sql_socket]
      }
    }
    containers {
      image = var.image
      ports {
        container_port = 8080
      }
      resources {
        limits = {
          cpu    = var.api_cpu
          memory = var.api_memory
        }
        cpu_idle          = true
        startup_cpu_boost = true
      }
      volume_mounts {
        name       = "cloudsql"
        mount_path = "/cloudsql"
      }
      dynamic "env" {
        for_each = local.api_env
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = { for k, v in local.api_secrets : k => v if contains(local.wired, v) }
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = local.secret_ids[env.value]
              version = "latest"
            }
          }
        }
      }
      startup_probe {
        http_get {
          path = "/api/health/ready"
        }
        initial_delay_seconds = 2
        period_seconds        = 3
        timeout_seconds       = 2
        failure_threshold     = 20
      }
      liveness_probe {
        http_get {
          path = "/api/health/live"
        }
        period_seconds    = 15
        timeout_seconds   = 3
        failure_threshold = 3
      }
    }
  }

  lifecycle {
    ignore_changes = [template[0].containers[0].image, client, client_version]
  }
  depends_on = [google_secret_manager_secret_iam_member.access, google_secret_manager_secret_version.generated]
}

resource "google_cloud_run_v2_service" "relay" {
  name                = "paytungan-relay"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = var.env == "production"

  template {
    service_account                  = google_service_account.runtime["relay"].email
    max_instance_request_concurrency = 4
    timeout                          = "30s"
    scaling {
      min_instance_count = 0
      max_instance_count = var.relay_max_instances
    }
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = local.vpc_egress.network
        subnetwork = local.vpc_egress.subnetwork
      }
    }
    volumes {
      name = "cloudsql"
      cloud_sql_instance {
        instances = [local.sql_socket]
      }
    }
    containers {
      image   = var.image
      command = ["gunicorn"]
      args    = ["paytungan.relay_wsgi:application", "--config", "/app/deploy/gunicorn.conf.py", "--chdir", "/app/backend"]
      ports {
        container_port = 8080
      }
      resources {
        limits = {
          cpu    = "1"
          memory = "256Mi"
        }
      }
      volume_mounts {
        name       = "cloudsql"
        mount_path = "/cloudsql"
      }
      env {
        name  = "DEBUG"
        value = "0"
      }
      env {
        name  = "ALLOWED_HOSTS"
        value = "*.run.app"
      }
      env {
        name  = "WEB_CONCURRENCY"
        value = "1"
      }
      env {
        name  = "NUM_PROXIES"
        value = "1"
      }
      dynamic "env" {
        for_each = { for k, v in local.relay_secrets : k => v if contains(local.wired, v) }
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = local.secret_ids[env.value]
              version = "latest"
            }
          }
        }
      }
      startup_probe {
        http_get {
          path = "/api/health/ready"
        }
        period_seconds    = 3
        timeout_seconds   = 2
        failure_threshold = 20
      }
      liveness_probe {
        http_get {
          path = "/api/health/live"
        }
        period_seconds = 30
      }
    }
  }

  lifecycle {
    ignore_changes = [template[0].containers[0].image, client, client_version]
  }
  depends_on = [google_secret_manager_secret_iam_member.access, google_secret_manager_secret_version.generated]
}

# Anyone may call the API and the relay (the relay checks signatures/tokens itself).
resource "google_cloud_run_v2_service_iam_member" "public" {
  # checkov:skip=CKV_GCP_102:a public web API and a webhook receiver must be reachable without Google credentials; both authenticate requests themselves
  for_each = { api = google_cloud_run_v2_service.api.name, relay = google_cloud_run_v2_service.relay.name }
  name     = each.value
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}

locals {
  jobs = {
    migrate        = { args = ["migrate", "--noinput"], account = "jobs", timeout = "600s", retries = 0 }
    deliver-alerts = { args = ["deliver_alerts", "--once"], account = "relay", timeout = "300s", retries = 1 }
    prune          = { args = ["prune"], account = "jobs", timeout = "600s", retries = 1 }
  }
}

resource "google_cloud_run_v2_job" "jobs" {
  for_each            = local.jobs
  name                = "paytungan-${each.key}"
  location            = var.region
  deletion_protection = false

  template {
    task_count = 1
    template {
      service_account = google_service_account.runtime[each.value.account].email
      max_retries     = each.value.retries
      timeout         = each.value.timeout
      vpc_access {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          network    = local.vpc_egress.network
          subnetwork = local.vpc_egress.subnetwork
        }
      }
      volumes {
        name = "cloudsql"
        cloud_sql_instance {
          instances = [local.sql_socket]
        }
      }
      containers {
        image   = var.image
        command = ["python"]
        args    = concat(["/app/backend/manage.py"], each.value.args)
        resources {
          limits = {
            cpu    = "1"
            memory = "512Mi"
          }
        }
        volume_mounts {
          name       = "cloudsql"
          mount_path = "/cloudsql"
        }
        env {
          name  = "DEBUG"
          value = "0"
        }
        env {
          name  = "ALLOWED_HOSTS"
          value = "localhost"
        }
        dynamic "env" {
          for_each = { for k, v in(each.value.account == "relay" ? local.relay_secrets : { SECRET_KEY = "secret-key", DATABASE_URL = "database-url" }) : k => v if contains(local.wired, v) }
          content {
            name = env.key
            value_source {
              secret_key_ref {
                secret  = local.secret_ids[env.value]
                version = "latest"
              }
            }
          }
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [template[0].template[0].containers[0].image, client, client_version]
  }
  depends_on = [google_secret_manager_secret_iam_member.access, google_secret_manager_secret_version.generated]
}
