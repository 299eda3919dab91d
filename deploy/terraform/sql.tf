# PostgreSQL: private IP only, TLS required, daily backups with point-in-time recovery,
# deletion protection (both Terraform's and the API's).
# The connection from Cloud Run is the built-in Cloud SQL connection (a unix socket under /cloudsql,
# mutual TLS by the connector) over Direct VPC egress into the private network.
resource "google_sql_database_instance" "main" {
  # checkov:skip=CKV_GCP_79:pinned to the major version the app is tested on (CI runs PostgreSQL 15); upgrade deliberately
  # checkov:skip=CKV_GCP_110:pgaudit is for regulated workloads; Cloud Audit Logs cover admin access here
  # checkov:skip=CKV2_GCP_20:CMEK not required; Google-managed encryption at rest
  # checkov:skip=CKV2_GCP_13:log_duration=on logs every statement's duration (cost, noise); Query Insights measures latency
  # A point-in-time clone takes over under its own name (docs/operations.md, Restore drill).
  name                = coalesce(var.sql_instance_name, local.name)
  database_version    = "POSTGRES_15"
  region              = var.region
  deletion_protection = true
  depends_on          = [google_service_networking_connection.sql]

  settings {
    tier                        = var.db_tier
    availability_type           = var.db_availability
    disk_autoresize             = true
    disk_size                   = var.db_disk_gb
    deletion_protection_enabled = true

    ip_configuration {
      ipv4_enabled                                  = false
      private_network                               = google_compute_network.main.id
      enable_private_path_for_google_cloud_services = true
      # mTLS: only the Cloud SQL connectors (Cloud Run's /cloudsql socket, the Auth Proxy) connect.
      ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    backup_configuration {
      enabled                        = true
      start_time                     = "18:00" # 01:00 in Jakarta
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = 7
      backup_retention_settings {
        retained_backups = 14
      }
    }

    maintenance_window {
      day  = 7 # Sunday
      hour = 19
    }

    insights_config {
      query_insights_enabled = true
    }

    database_flags {
      name  = "max_connections"
      value = tostring(var.db_max_connections)
    }
    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }
    database_flags {
      name  = "log_connections"
      value = "on"
    }
    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }
    database_flags {
      name  = "log_min_messages"
      value = "error"
    }
    database_flags {
      name  = "log_temp_files"
      value = "0"
    }
    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }
    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }
    database_flags {
      name  = "log_hostname"
      value = "on"
    }
    database_flags {
      name  = "log_statement"
      value = "ddl"
    }
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "off"
    }
  }
}

resource "google_sql_database" "app" {
  name     = "paytungan"
  instance = google_sql_database_instance.main.name
}

resource "random_password" "db" {
  length  = 40
  special = false
}

resource "google_sql_user" "app" {
  name     = "paytungan"
  instance = google_sql_database_instance.main.name
  password = random_password.db.result
}
