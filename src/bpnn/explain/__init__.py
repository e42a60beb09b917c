"""Explaining a training step: drawings of the network and exercises made
from its trace."""
