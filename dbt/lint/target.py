"""The target the models are linted for: the production warehouse (Redshift)."""

type = "redshift"
name = "prod"
schema = "public"
