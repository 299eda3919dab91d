# One repository per environment. Images are pushed once, to staging's, by digest; production's
# receives the same manifest (skopeo copy --preserve-digests in .github/workflows/deploy.yml), so
# both run the bytes staging tested (docs/decisions/0012-terraform-owns-services-promote-digest.md).
resource "google_artifact_registry_repository" "images" {
  # checkov:skip=CKV_GCP_84:Google-managed encryption keys are enough for application images (no customer data in them)
  repository_id = "paytungan"
  location      = var.region
  format        = "DOCKER"
  description   = "API images (one per commit on main, tag = git sha)"
  docker_config {
    immutable_tags = true
  }
  # Policies act (dry run off). KEEP wins over DELETE: the newest var.images_kept versions (the
  # serving revision and its rollback targets among them) and the bootstrap image are never
  # deleted; older untagged layers after a week, older tagged images after var.image_max_age_days.
  cleanup_policy_dry_run = false
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = var.images_kept
    }
  }
  cleanup_policies {
    id     = "keep-bootstrap"
    action = "KEEP"
    condition {
      tag_state    = "TAGGED"
      tag_prefixes = ["bootstrap"]
    }
  }
  cleanup_policies {
    id     = "delete-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = "604800s" # 7 days
    }
  }
  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      tag_state  = "ANY"
      older_than = "${var.image_max_age_days * 86400}s"
    }
  }
  depends_on = [google_project_service.apis]
}

# Production's deployer reads staging's repository to copy the tested digest (var.image_readers).
resource "google_artifact_registry_repository_iam_member" "readers" {
  for_each   = toset(var.image_readers)
  repository = google_artifact_registry_repository.images.name
  location   = var.region
  role       = "roles/artifactregistry.reader"
  member     = each.value
}
