# Cloud Scheduler starts the recurring jobs through the Cloud Run Admin API, as an account that
# may run exactly those jobs.
locals {
  schedules = {
    deliver-alerts  = "* * * * *"  # every minute: drain what a Discord outage left in the outbox
    prune           = "30 3 * * *" # daily, 03:30 Jakarta time
    send-reminders  = "15 * * * *" # hourly: pending payments, balances owed, Monday's digest
    recurring-bills = "15 0 * * *" # daily, 00:15 Jakarta time: bills due today, early in the day
  }
}

resource "google_cloud_run_v2_job_iam_member" "scheduler_runs" {
  for_each = local.schedules
  name     = google_cloud_run_v2_job.jobs[each.key].name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}

resource "google_cloud_scheduler_job" "jobs" {
  for_each         = local.schedules
  name             = "${local.name}-${each.key}"
  region           = var.region
  schedule         = each.value
  time_zone        = "Asia/Jakarta"
  attempt_deadline = "320s"
  retry_config {
    retry_count = 0 # the next tick is the retry
  }
  http_target {
    http_method = "POST"
    uri         = "https://run.googleapis.com/v2/${google_cloud_run_v2_job.jobs[each.key].id}:run"
    oauth_token {
      service_account_email = google_service_account.scheduler.email
    }
  }
  depends_on = [google_cloud_run_v2_job_iam_member.scheduler_runs]
}
