"""The repository as data: strict YAML, files, fast scans, git, and changes against a base."""
