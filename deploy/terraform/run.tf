# Cloud Run v2: the API and the relay (services), migrate / deliver-alerts / prune /
# send-reminders / recurring-bills (jobs).
# Terraform owns every setting of them (env, secrets, scaling, probes, sidecars); a release only
# changes the image (deploy/release.py: `gcloud run services update --image ... --no-traffic
# --tag canary`, then traffic in steps), so the image and the traffic split are ignored here.
# docs/decisions/0012-terraform-owns-services-promote-digest.md
locals {
  sql_socket = google_sql_database_instance.main.connection_name
  vpc_egress = {
    network    = google_compute_network.main.id
    subnetwork = google_compute_subnetwork.run.id
  }
  # Deterministic run.app hosts (SERVICE-PROJECT_NUMBER.REGION.run.app) and the fixed release tag
  # `canary` (TAG---SERVICE-...): Django's Host check lists them exactly, no wildcard.
  run_suffix  = "${data.google_project.this.number}.${var.region}.run.app"
  api_hosts   = compact([var.api_host, "paytungan-api-${local.run_suffix}", "canary---paytungan-api-${local.run_suffix}", var.metrics_collector_image == "" ? "" : "127.0.0.1"])
  relay_hosts = compact([var.relay_host, "paytungan-relay-${local.run_suffix}", "canary---paytungan-relay-${local.run_suffix}"])

  # env name -> secret; referenced only when the secret has a version (generated, or listed in
  # var.operator_secrets), and then at that version number.
  api_secrets = {
    SECRET_KEY           = "secret-key"
    SECRET_KEY_FALLBACKS = "secret-key-fallbacks"
    DATABASE_URL         = "database-url"
    METRICS_TOKEN        = "metrics-token"
    SENTRY_DSN           = "sentry-dsn"
    EMAIL_HOST_PASSWORD  = "email-password"
  }
  # No SENTRY_DSN: the relay must not report its own failures through itself (docs/operations.md).
  relay_secrets = {
    SECRET_KEY             = "secret-key"
    SECRET_KEY_FALLBACKS   = "secret-key-fallbacks"
    DATABASE_URL           = "database-url"
    ALERT_HOOK_TOKEN       = "alert-hook-token"
    SENTRY_WEBHOOK_SECRET  = "sentry-webhook-secret"
    DISCORD_WEBHOOK_URL    = "discord-webhook-url"
    DISCORD_WEBHOOK_ROUTES = "discord-webhook-routes"
  }
  job_secrets = {
    SECRET_KEY   = "secret-key"
    DATABASE_URL = "database-url"
  }
  # send-reminders: the job secrets plus the SMTP password once the operator has added it.
  mailer_secrets = {
    SECRET_KEY          = "secret-key"
    DATABASE_URL        = "database-url"
    EMAIL_HOST_PASSWORD = "email-password"
  }
  wired_api    = { for k, v in local.api_secrets : k => v if contains(keys(local.secret_versions), v) }
  wired_relay  = { for k, v in local.relay_secrets : k => v if contains(keys(local.secret_versions), v) }
  wired_mailer = { for k, v in local.mailer_secrets : k => v if contains(keys(local.secret_versions), v) }

  api_env = {
    DEBUG                = "0"
    ALLOWED_HOSTS        = join(",", local.api_hosts)
    CSRF_TRUSTED_ORIGINS = var.frontend_origin
    FRONTEND_URL         = var.frontend_origin
    # Cloud Run's front end appends the address it saw to X-Forwarded-For: with the ingress
    # public, only that last entry cannot be forged (docs/operations.md, "Client addresses").
    NUM_PROXIES               = tostring(var.num_proxies)
    FORWARDED_ALLOW_IPS       = "*"
    WEB_CONCURRENCY           = tostring(var.api_workers)
    GUNICORN_THREADS          = tostring(var.api_threads)
    GUNICORN_TIMEOUT          = "30"
    GUNICORN_GRACEFUL_TIMEOUT = "8"
    DB_CONN_MAX_AGE           = "60"
    SENTRY_ENVIRONMENT        = var.env
    EMAIL_HOST                = var.email_host
    EMAIL_HOST_USER           = var.email_host_user
    EMAIL_PORT                = "587"
    EMAIL_USE_TLS             = "1"
    DEFAULT_FROM_EMAIL        = var.email_from
  }
  # The reminder job builds links into the frontend and sends through the same SMTP account.
  mailer_env = {
    FRONTEND_URL       = var.frontend_origin
    EMAIL_HOST         = var.email_host
    EMAIL_HOST_USER    = var.email_host_user
    EMAIL_PORT         = "587"
    EMAIL_USE_TLS      = "1"
    DEFAULT_FROM_EMAIL = var.email_from
  }
  relay_env = {
    DEBUG                     = "0"
    ALLOWED_HOSTS             = join(",", local.relay_hosts)
    NUM_PROXIES               = "1" # Sentry and Cloud Monitoring call the run.app URL directly
    FORWARDED_ALLOW_IPS       = "*"
    WEB_CONCURRENCY           = "1"
    GUNICORN_THREADS          = "4"
    GUNICORN_GRACEFUL_TIMEOUT = "8"
    SENTRY_ENVIRONMENT        = var.env
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
    # The collector's config and the token it scrapes /metrics with, both only with a collector.
    dynamic "volumes" {
      for_each = {
        for name, v in {
          collector       = { secret = "collector-config", path = "config.yaml" }
          "metrics-token" = { secret = "metrics-token", path = "token" }
        } : name => v if var.metrics_collector_image != ""
      }
      content {
        name = volumes.key
        secret {
          secret = local.secret_ids[volumes.value.secret]
          items {
            path    = volumes.value.path
            version = local.secret_versions[volumes.value.secret]
          }
        }
      }
    }

    # The ingress container comes first: the release updates containers[0] (--container=api).
    containers {
      name  = "api"
      image = var.image
      ports {
        container_port = 8080
      }
      resources {
        limits = {
          cpu    = var.api_cpu
          memory = var.api_memory
        }
        # The metrics sidecar scrapes between requests: Google recommends CPU always allocated.
        cpu_idle          = !var.api_cpu_always_allocated
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
        for_each = local.wired_api
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = local.secret_ids[env.value]
              version = local.secret_versions[env.value]
            }
          }
        }
      }
      # Ready = database reachable and migrations applied: no traffic before that.
      startup_probe {
        http_get {
          path = "/api/health/ready"
        }
        initial_delay_seconds = 2
        period_seconds        = 3
        timeout_seconds       = 2
        failure_threshold     = 20
      }
      # Live = the process answers; never the database (an outage must not restart everything).
      liveness_probe {
        http_get {
          path = "/api/health/live"
        }
        period_seconds    = 15
        timeout_seconds   = 3
        failure_threshold = 3
      }
    }

    # /metrics -> Google Cloud Managed Service for Prometheus: an OpenTelemetry Collector with
    # the Prometheus receiver (Bearer METRICS_TOKEN from a mounted secret file) and the
    # googlemanagedprometheus exporter (config: monitoring.tf, local.collector_config).
    dynamic "containers" {
      for_each = var.metrics_collector_image == "" ? [] : [var.metrics_collector_image]
      content {
        name       = "collector"
        image      = containers.value
        args       = ["--config=/etc/collector/config.yaml"]
        depends_on = ["api"]
        resources {
          limits = {
            cpu    = "0.25"
            memory = "256Mi"
          }
          cpu_idle = !var.api_cpu_always_allocated
        }
        volume_mounts {
          name       = "collector"
          mount_path = "/etc/collector"
        }
        volume_mounts {
          name       = "metrics-token"
          mount_path = "/etc/metrics-token"
        }
      }
    }
  }

  lifecycle {
    # The release's: the image (by digest) and the traffic split (its steps and rollbacks), and
    # what gcloud writes with them (client, and client.knative.dev/user-image in both annotation
    # maps; none is set here; hashicorp/terraform-provider-google#13410). Not template.revision:
    # gcloud names the revision when it tags one, and ignoring it would make Terraform's next
    # template change reuse that name and fail with 409 (#14569); unset, Cloud Run names a new one.
    ignore_changes = [template[0].containers[0].image, client, client_version, traffic, annotations, template[0].annotations]
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
    max_instance_request_concurrency = 4 # 1 worker x 4 threads
    timeout                          = "30s"
    # Delivery runs in a background thread after the webhook is answered: an instance must exist
    # and keep its CPU between requests, or alerts wait for the next request or the job.
    scaling {
      min_instance_count = 1
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
      name    = "relay"
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
        cpu_idle          = false
        startup_cpu_boost = true
      }
      volume_mounts {
        name       = "cloudsql"
        mount_path = "/cloudsql"
      }
      dynamic "env" {
        for_each = local.relay_env
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = local.wired_relay
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = local.secret_ids[env.value]
              version = local.secret_versions[env.value]
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
        period_seconds    = 30
        timeout_seconds   = 3
        failure_threshold = 3
      }
    }
  }

  lifecycle {
    ignore_changes = [template[0].containers[0].image, client, client_version, traffic, annotations, template[0].annotations]
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
    migrate        = { args = ["migrate", "--noinput"], account = "jobs", timeout = "600s", retries = 0, secrets = local.job_secrets, env = {} }
    deliver-alerts = { args = ["deliver_alerts", "--once"], account = "relay", timeout = "300s", retries = 1, secrets = local.wired_relay, env = {} }
    prune          = { args = ["prune"], account = "jobs", timeout = "600s", retries = 1, secrets = local.job_secrets, env = {} }
    # Hourly; no task retry: the next tick is the retry, and the delivery log keeps every email
    # to once either way (docs/decisions/0020-email-reminders.md).
    send-reminders = { args = ["send_reminders"], account = "mailer", timeout = "1800s", retries = 0, secrets = local.wired_mailer, env = local.mailer_env }
    # Idempotent per period (decision 0019): a retry or an overlapping run never makes a bill twice.
    recurring-bills = { args = ["create_recurring_bills"], account = "jobs", timeout = "600s", retries = 1, secrets = local.job_secrets, env = {} }
  }
}

# The release sets their image (`gcloud run jobs update --image`) and runs migrate before the
# services' new revisions; everything else is here.
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
          for_each = each.value.env
          content {
            name  = env.key
            value = env.value
          }
        }
        dynamic "env" {
          for_each = each.value.secrets
          content {
            name = env.key
            value_source {
              secret_key_ref {
                secret  = local.secret_ids[env.value]
                version = local.secret_versions[env.value]
              }
            }
          }
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [template[0].template[0].containers[0].image, client, client_version, annotations]
  }
  depends_on = [google_secret_manager_secret_iam_member.access, google_secret_manager_secret_version.generated]
}
