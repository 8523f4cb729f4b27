/**
 * A local exchange for tests and demos: {@link dev.tickvault.simulator.ExchangeSimulator} serves Binance spot and
 * USD-M (recording replay or synthetic, with the true book behind consistent REST snapshots), Coinbase Exchange and
 * Kraken v1 (recording replays), injects faults ({@link dev.tickvault.simulator.FaultInjector}, {@code POST
 * /control/fault}) and counts what it did ({@link dev.tickvault.simulator.SimulatorStats}, {@code GET
 * /control/stats}). {@link dev.tickvault.simulator.SimulatorLauncher} starts one from command-line options.
 */
package dev.tickvault.simulator;
