"""Article import: readers turn files into article records; the service stores them."""
