# Paytungan on GCP: one root module, one state per environment (staging, production).
#   terraform init -backend-config="bucket=<state bucket>" -backend-config="prefix=paytungan/staging"
#   terraform apply -var-file=envs/staging.tfvars
terraform {
  required_version = ">= 1.6"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.10"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region
}
