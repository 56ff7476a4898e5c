"""Decide pieces: the advisor, its results, cost-of-ownership inputs, trade-offs, and the cached Decide reads."""
