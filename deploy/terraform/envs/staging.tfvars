project_id        = "paytungan-staging"
env               = "staging"
region            = "asia-southeast1"
image             = "asia-southeast1-docker.pkg.dev/paytungan-staging/paytungan/api:bootstrap"
api_host          = "api.staging.paytungan.id"
frontend_origin   = "https://staging.paytungan.id"
api_min_instances = 0
api_max_instances = 3
db_tier           = "db-custom-1-3840"
db_availability   = "ZONAL"
github_owner      = "paytungan"
github_repo       = "paytungan"
operator_secrets  = []
alert_emails      = ["oncall@paytungan.id"]
# Production's deployer copies the digest staging tested out of this registry. It must exist
# first (production's apply creates it): the very first staging applies use
# -var='image_readers=[]' (docs/operations.md, Deploy from zero, step 2).
image_readers = ["serviceAccount:paytungan-production-deployer@paytungan-prod.iam.gserviceaccount.com"]
