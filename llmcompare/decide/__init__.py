"""Decision support: criteria, ranking, sensitivity, cost of ownership."""
