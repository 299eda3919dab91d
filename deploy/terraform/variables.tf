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
  description = "API image for the first apply; later releases are deployed by .github/workflows/deploy.yml"
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
  description = "Proxies appending to X-Forwarded-For before the API: 2 = Vercel's rewrite + Google's front end"
  type        = number
  default     = 2
}

variable "relay_max_instances" {
  description = "Relay instance ceiling"
  type        = number
  default     = 3
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
  description = "SMTP host for password-reset mail"
  type        = string
  default     = "smtp.sendgrid.net"
}

variable "email_host_user" {
  description = "SMTP user"
  type        = string
  default     = "apikey"
}

variable "operator_secrets" {
  description = "Secrets an operator has added a version to (gcloud secrets versions add); only these are wired into the services"
  type        = set(string)
  default     = []
  validation {
    condition     = alltrue([for s in var.operator_secrets : contains(["sentry-dsn", "sentry-webhook-secret", "discord-webhook-url", "email-password"], s)])
    error_message = "operator_secrets: one of sentry-dsn, sentry-webhook-secret, discord-webhook-url, email-password."
  }
}

variable "github_owner" {
  description = "Owner of the GitHub repository allowed to deploy (Workload Identity Federation)"
  type        = string
}

variable "github_repo" {
  description = "Name of that repository"
  type        = string
}
