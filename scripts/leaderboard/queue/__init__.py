"""The queue: claim, evaluate into a bundle, record, reconcile, and the details store."""
