"""wideopt: reproduce why wide neural networks are easy to optimize."""
