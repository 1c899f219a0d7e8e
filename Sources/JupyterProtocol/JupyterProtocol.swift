// Jupyter messages as Swift values, their JSON, signatures and framing.
