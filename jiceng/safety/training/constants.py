"""Technical limits of the training app (not rules: rules are policies in seed/policies.json)."""

AD_IMAGE_MAX_BYTES = 2 * 1024 * 1024  # an ad picture for screens and notices; larger files belong elsewhere
