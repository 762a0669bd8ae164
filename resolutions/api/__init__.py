"""The register's read API for other systems (Django REST Framework): see urls.py."""
