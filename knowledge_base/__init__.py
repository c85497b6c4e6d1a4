"""The knowledge base: FAQ entries admins edit, and the hybrid retriever that answers from them."""
