"""boto3's resource API from boto3's resources-1.json, which the daemon
serves: service resources, resources with lazily loaded attributes, actions,
sub-resources, references, waiters, and collections with batch actions."""
