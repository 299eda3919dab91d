# An uptime check on the API's readiness from several regions, and an alert policy whose
# notification channel is the relay's uptime hook (which posts to Discord like Sentry alerts).
resource "google_monitoring_uptime_check_config" "ready" {
  display_name = "${local.name} API ready"
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
      host       = var.api_host
    }
  }
  depends_on = [google_project_service.apis]
}

resource "google_monitoring_notification_channel" "relay" {
  display_name = "${local.name} relay uptime hook"
  type         = "webhook_tokenauth"
  labels = {
    url = "${google_cloud_run_v2_service.relay.uri}/hooks/uptime?token=${random_password.alert_hook_token.result}"
  }
}

resource "google_monitoring_alert_policy" "api_down" {
  display_name = "${local.name} API not ready"
  combiner     = "OR"
  conditions {
    display_name = "readiness check failing"
    condition_threshold {
      filter          = "metric.type=\"monitoring.googleapis.com/uptime_check/check_passed\" AND metric.label.check_id=\"${google_monitoring_uptime_check_config.ready.uptime_check_id}\" AND resource.type=\"uptime_url\""
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
  notification_channels = [google_monitoring_notification_channel.relay.id]
  alert_strategy {
    auto_close = "1800s"
  }
  documentation {
    content   = "GET https://${var.api_host}/api/health/ready fails from more than one region. Runbook: docs/operations.md."
    mime_type = "text/markdown"
  }
}
