# Monitoring as code. Every policy notifies the e-mail channel(s) and the relay's uptime hook
# (Discord); the relay's own uptime policy notifies e-mail only, since a dead relay cannot report
# itself. What each alert means and the first actions: docs/operations.md, "On call".
locals {
  email_channels = [for c in google_monitoring_notification_channel.email : c.id]
  all_channels   = concat(local.email_channels, [google_monitoring_notification_channel.relay.id])
  sql_database   = "${var.project_id}:${google_sql_database_instance.main.name}"
  runbook        = "Runbook: docs/operations.md, section On call."

  # The API's metrics sidecar: scrape /metrics on the ingress container (loopback; Host
  # 127.0.0.1 is in the API's ALLOWED_HOSTS only when this runs) with the Bearer token file.
  collector_config = yamlencode({
    receivers = {
      prometheus = {
        config = {
          scrape_configs = [{
            job_name        = "paytungan-api"
            scrape_interval = "30s"
            metrics_path    = "/metrics"
            authorization   = { type = "Bearer", credentials_file = "/etc/metrics-token/token" }
            static_configs  = [{ targets = ["127.0.0.1:8080"] }]
          }]
        }
      }
    }
    processors = {
      memory_limiter    = { check_interval = "1s", limit_percentage = 65, spike_limit_percentage = 20 }
      batch             = {}
      resourcedetection = { detectors = ["env", "gcp"], timeout = "2s", override = false }
      # Every instance scrapes the same target (127.0.0.1:8080), which the exporter would write
      # as the `instance` label of prometheus_target: the instances' series would collide
      # ("points written more frequently than the maximum sampling period", counters mixed).
      # The Cloud Run instance id (gcp detector: faas.id, newer collectors faas.instance) names it.
      resource = {
        attributes = [
          { key = "service.instance.id", from_attribute = "faas.id", action = "upsert" },
          { key = "service.instance.id", from_attribute = "faas.instance", action = "upsert" },
        ]
      }
    }
    exporters = { googlemanagedprometheus = {} }
    service = {
      pipelines = {
        metrics = {
          receivers  = ["prometheus"]
          processors = ["memory_limiter", "resourcedetection", "resource", "batch"]
          exporters  = ["googlemanagedprometheus"]
        }
      }
    }
  })
}

resource "google_monitoring_notification_channel" "email" {
  for_each     = toset(var.alert_emails)
  display_name = "${local.name} on-call ${each.value}"
  type         = "email"
  labels = {
    email_address = each.value
  }
  depends_on = [google_project_service.apis]
}

resource "google_monitoring_notification_channel" "relay" {
  display_name = "${local.name} relay uptime hook"
  type         = "webhook_tokenauth"
  labels = {
    url = "https://paytungan-relay-${local.run_suffix}/hooks/uptime?token=${random_password.alert_hook_token.result}"
  }
  depends_on = [google_project_service.apis]
}

# --- uptime: the API (custom domain) and the relay itself ---------------------------------------
locals {
  uptime_targets = {
    api   = { host = var.api_host, what = "API" }
    relay = { host = "paytungan-relay-${local.run_suffix}", what = "alert relay" }
  }
}

resource "google_monitoring_uptime_check_config" "ready" {
  for_each     = local.uptime_targets
  display_name = "${local.name} ${each.value.what} ready"
  timeout      = "10s"
  period       = "60s"
  http_check {
    path         = "/api/health/ready"
    port         = 443
    use_ssl      = true
    validate_ssl = true
    accepted_response_status_codes {
      status_class = "STATUS_CLASS_2XX"
    }
  }
  monitored_resource {
    type = "uptime_url"
    labels = {
      project_id = var.project_id
      host       = each.value.host
    }
  }
  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "down" {
  for_each     = local.uptime_targets
  display_name = "${local.name} ${each.value.what} not ready"
  combiner     = "OR"
  conditions {
    display_name = "readiness check failing"
    condition_threshold {
      filter          = "metric.type=\"monitoring.googleapis.com/uptime_check/check_passed\" AND metric.label.check_id=\"${google_monitoring_uptime_check_config.ready[each.key].uptime_check_id}\" AND resource.type=\"uptime_url\""
      comparison      = "COMPARISON_GT"
      threshold_value = 1
      duration        = "120s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_NEXT_OLDER"
        cross_series_reducer = "REDUCE_COUNT_FALSE"
        group_by_fields      = ["resource.label.project_id", "resource.label.host"]
      }
      trigger {
        count = 1
      }
    }
  }
  notification_channels = each.key == "relay" ? local.email_channels : local.all_channels
  alert_strategy {
    auto_close = "1800s"
  }
  documentation {
    content   = "GET https://${each.value.host}/api/health/ready fails from more than one region. ${local.runbook}"
    mime_type = "text/markdown"
  }
}

# --- SLOs on the API and their burn-rate alerts -------------------------------------------------
resource "google_monitoring_service" "api" {
  service_id   = "${local.name}-api"
  display_name = "${local.name} API"
  basic_service {
    service_type = "CLOUD_RUN"
    service_labels = {
      service_name = google_cloud_run_v2_service.api.name
      location     = var.region
    }
  }
  depends_on = [google_project_service.apis]
}

resource "google_monitoring_slo" "api" {
  for_each = {
    availability = { goal = var.slo_availability, what = "requests without a 5xx" }
    latency      = { goal = 0.95, what = "requests faster than ${var.slo_latency_ms} ms (p95)" }
  }
  service             = google_monitoring_service.api.service_id
  slo_id              = each.key
  display_name        = "${local.name} API: ${each.value.goal * 100} % of ${each.value.what}"
  goal                = each.value.goal
  rolling_period_days = 28
  basic_sli {
    dynamic "availability" {
      for_each = each.key == "availability" ? [1] : []
      content {
        enabled = true
      }
    }
    dynamic "latency" {
      for_each = each.key == "latency" ? [1] : []
      content {
        threshold = "${var.slo_latency_ms / 1000}s"
      }
    }
  }
}

# Google's multi-window advice: 2 % of the month's budget in 1 h (burn rate 14.4) pages fast;
# 5 % in 6 h (6) catches a slow leak.
locals {
  burn_alerts = merge([
    for slo in keys(google_monitoring_slo.api) : {
      "${slo}-fast" = { slo = slo, window = "3600s", rate = 14.4 }
      "${slo}-slow" = { slo = slo, window = "21600s", rate = 6 }
    }
  ]...)
}

resource "google_monitoring_alert_policy" "burn" {
  for_each     = local.burn_alerts
  display_name = "${local.name} API ${each.value.slo} error budget burning (${each.key})"
  combiner     = "OR"
  conditions {
    display_name = "burn rate > ${each.value.rate} over ${each.value.window}"
    condition_threshold {
      filter          = "select_slo_burn_rate(\"${google_monitoring_slo.api[each.value.slo].id}\", \"${each.value.window}\")"
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.rate
      duration        = "0s"
    }
  }
  notification_channels = local.all_channels
  documentation {
    content   = "The API's ${each.value.slo} SLO spends its 28-day error budget ${each.value.rate}x too fast. ${local.runbook}"
    mime_type = "text/markdown"
  }
}

# --- Cloud SQL and the jobs -----------------------------------------------------------------------
locals {
  threshold_alerts = {
    sql-cpu = {
      title    = "Cloud SQL CPU above 80 % for 10 min"
      filter   = "metric.type=\"cloudsql.googleapis.com/database/cpu/utilization\" AND resource.type=\"cloudsql_database\" AND resource.label.database_id=\"${local.sql_database}\""
      value    = 0.8
      duration = "600s"
      aligner  = "ALIGN_MEAN"
      reducer  = "REDUCE_MAX"
    }
    sql-connections = {
      title    = "Cloud SQL connections above 80 % of max_connections"
      filter   = "metric.type=\"cloudsql.googleapis.com/database/postgresql/num_backends\" AND resource.type=\"cloudsql_database\" AND resource.label.database_id=\"${local.sql_database}\""
      value    = floor(var.db_max_connections * 0.8)
      duration = "300s"
      aligner  = "ALIGN_MEAN"
      reducer  = "REDUCE_SUM"
    }
    sql-disk = {
      title    = "Cloud SQL disk above 85 %"
      filter   = "metric.type=\"cloudsql.googleapis.com/database/disk/utilization\" AND resource.type=\"cloudsql_database\" AND resource.label.database_id=\"${local.sql_database}\""
      value    = 0.85
      duration = "600s"
      aligner  = "ALIGN_MEAN"
      reducer  = "REDUCE_MAX"
    }
    job-failed = {
      title    = "A Cloud Run job execution failed (migrate, deliver-alerts, prune, send-reminders)"
      filter   = "metric.type=\"run.googleapis.com/job/completed_execution_count\" AND resource.type=\"cloud_run_job\" AND metric.label.result=\"failed\""
      value    = 0
      duration = "0s"
      aligner  = "ALIGN_DELTA"
      reducer  = "REDUCE_SUM"
    }
  }
}

resource "google_monitoring_alert_policy" "threshold" {
  for_each     = local.threshold_alerts
  display_name = "${local.name} ${each.value.title}"
  combiner     = "OR"
  conditions {
    display_name = each.value.title
    condition_threshold {
      filter          = each.value.filter
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.value
      duration        = each.value.duration
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = each.value.aligner
        cross_series_reducer = each.value.reducer
        group_by_fields      = each.key == "job-failed" ? ["resource.label.job_name"] : ["resource.label.database_id"]
      }
      trigger {
        count = 1
      }
    }
  }
  notification_channels = local.all_channels
  alert_strategy {
    auto_close = "3600s"
  }
  documentation {
    content   = "${each.value.title}. ${local.runbook}"
    mime_type = "text/markdown"
  }
  depends_on = [google_project_service.apis]
}
