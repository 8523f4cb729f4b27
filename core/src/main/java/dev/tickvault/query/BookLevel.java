package dev.tickvault.query;

import dev.tickvault.model.Decimal;

/** One price level of a book, as the venue spelled it. */
public record BookLevel(Decimal price, Decimal quantity) {}
