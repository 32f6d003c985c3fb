"""Facts about a model on the Hub, through ``huggingface_hub`` and ``transformers``."""
