"""uprdex: an evidence index of UN Universal Periodic Review recommendations."""
