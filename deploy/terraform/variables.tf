variable "project_id" {
  description = "GCP project that holds this environment"
  type        = string
}

variable "env" {
  description = "Environment name: prefixes every resource (staging, production)"
  type        = string
  validation {
    condition     = contains(["staging", "production"], var.env)
    error_message = "env must be staging or production."
  }
}

variable "region" {
  description = "Region of every regional resource"
  type        = string
  default     = "asia-southeast1"
}

variable "image" {
  description = "Image for the first apply only; releases set the image (by digest) through deploy/release.py and Terraform ignores it afterwards"
  type        = string
}

variable "api_host" {
  description = "Host name the API answers to (ALLOWED_HOSTS), e.g. api.paytungan.id"
  type        = string
}

variable "frontend_origin" {
  description = "Origin of the frontend (CSRF_TRUSTED_ORIGINS, FRONTEND_URL), e.g. https://paytungan.id"
  type        = string
}

variable "api_min_instances" {
  description = "API instances kept warm"
  type        = number
  default     = 1
}

variable "api_max_instances" {
  description = "API instance ceiling; see the connection budget in docs/operations.md"
  type        = number
  default     = 10
}

variable "api_cpu" {
  description = "vCPUs per API instance"
  type        = string
  default     = "1"
}

variable "api_memory" {
  description = "Memory per API instance"
  type        = string
  default     = "512Mi"
}

variable "api_workers" {
  description = "gunicorn workers per instance (WEB_CONCURRENCY)"
  type        = number
  default     = 2
}

variable "api_threads" {
  description = "threads per worker (GUNICORN_THREADS); concurrency = workers x threads"
  type        = number
  default     = 4
}

variable "num_proxies" {
  description = "Proxies appending to X-Forwarded-For before the API. The ingress is public, so only Cloud Run's own front end (1) is trusted: a caller can write any entries left of it"
  type        = number
  default     = 1
  validation {
    condition     = var.num_proxies == 1
    error_message = "num_proxies must be 1 while the API's ingress is public (docs/operations.md, Client addresses)."
  }
}

variable "api_cpu_always_allocated" {
  description = "CPU between requests (instance-based billing): recommended with the metrics sidecar"
  type        = bool
  default     = true
}

variable "metrics_collector_image" {
  description = "OpenTelemetry Collector (contrib: prometheus receiver, googlemanagedprometheus exporter) run beside the API to scrape /metrics; empty = no sidecar"
  type        = string
  default     = "otel/opentelemetry-collector-contrib:0.115.1"
}

variable "relay_host" {
  description = "Custom domain of the relay, if one is mapped (its run.app host is always allowed)"
  type        = string
  default     = ""
}

variable "relay_max_instances" {
  description = "Relay instance ceiling"
  type        = number
  default     = 3
}

variable "sql_instance_name" {
  description = "Cloud SQL instance name; empty = paytungan-<env>. Set to a restored clone's name after a point-in-time restore"
  type        = string
  default     = ""
}

variable "db_tier" {
  description = "Cloud SQL machine tier"
  type        = string
  default     = "db-custom-1-3840"
}

variable "db_availability" {
  description = "ZONAL or REGIONAL (a standby in another zone)"
  type        = string
  default     = "ZONAL"
}

variable "db_max_connections" {
  description = "PostgreSQL max_connections; must exceed the connection budget (docs/operations.md)"
  type        = number
  default     = 200
}

variable "db_disk_gb" {
  description = "Initial disk size (grows automatically)"
  type        = number
  default     = 20
}

variable "email_host" {
  description = "SMTP host for password-reset mail and the reminder emails (send-reminders job)"
  type        = string
  default     = "smtp.sendgrid.net"
}

variable "email_host_user" {
  description = "SMTP user"
  type        = string
  default     = "apikey"
}

variable "email_from" {
  description = "From address of every email (DEFAULT_FROM_EMAIL), a sender the SMTP provider has verified"
  type        = string
  default     = "Paytungan <no-reply@paytungan.id>"
}

variable "operator_secrets" {
  description = "Operator secrets that have a version (gcloud secrets versions add); only these are referenced, each at its newest version number"
  type        = set(string)
  default     = []
  validation {
    condition     = alltrue([for s in var.operator_secrets : contains(["sentry-dsn", "sentry-webhook-secret", "discord-webhook-url", "discord-webhook-routes", "email-password", "secret-key-fallbacks"], s)])
    error_message = "operator_secrets: sentry-dsn, sentry-webhook-secret, discord-webhook-url, discord-webhook-routes, email-password, secret-key-fallbacks."
  }
}

variable "alert_emails" {
  description = "Where every alert also goes by e-mail, so a dead relay (the Discord path) is still noticed"
  type        = list(string)
  validation {
    condition     = length(var.alert_emails) > 0 && alltrue([for e in var.alert_emails : can(regex("^[^@ ]+@[^@ ]+\\.[^@ ]+$", e))])
    error_message = "alert_emails: at least one e-mail address."
  }
}

variable "slo_availability" {
  description = "Share of API requests that must not answer 5xx (28-day rolling)"
  type        = number
  default     = 0.995
}

variable "slo_latency_ms" {
  description = "p95 latency objective of the API, milliseconds (95 % of requests faster)"
  type        = number
  default     = 800
}

variable "images_kept" {
  description = "Newest image versions the registry cleanup never deletes (rollback targets)"
  type        = number
  default     = 20
}

variable "image_max_age_days" {
  description = "Older images (beyond images_kept) are deleted by the registry cleanup"
  type        = number
  default     = 90
}

variable "image_readers" {
  description = "Members that may read this registry (staging: production's deployer, to copy the tested digest)"
  type        = list(string)
  default     = []
}

variable "github_owner" {
  description = "Owner of the GitHub repository allowed to deploy (Workload Identity Federation)"
  type        = string
}

variable "github_repo" {
  description = "Name of that repository"
  type        = string
}
