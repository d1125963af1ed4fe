"""A small FastAPI app on Oxyde: authors and their books (see ../README.md)."""
