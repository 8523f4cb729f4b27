package dev.tickvault.cli;

import dev.tickvault.model.SeriesKey;
import dev.tickvault.model.Side;
import dev.tickvault.model.Trade;
import dev.tickvault.store.TradeCursor;
import java.util.List;

/** A cursor over a list, standing in for the store's. */
final class ListTradeCursor implements TradeCursor {

    private final List<Trade> trades;
    private int index = -1;

    ListTradeCursor(List<Trade> trades) {
        this.trades = trades;
    }

    private Trade current() {
        return trades.get(index);
    }

    @Override
    public boolean next() {
        return ++index < trades.size();
    }

    @Override
    public SeriesKey series() {
        return current().series();
    }

    @Override
    public long tsNanos() {
        return current().tsNanos();
    }

    @Override
    public long recvTsNanos() {
        return current().recvTsNanos();
    }

    @Override
    public long priceMantissa() {
        return current().price().mantissa();
    }

    @Override
    public int priceScale() {
        return current().price().scale();
    }

    @Override
    public long quantityMantissa() {
        return current().quantity().mantissa();
    }

    @Override
    public int quantityScale() {
        return current().quantity().scale();
    }

    @Override
    public Side side() {
        return current().side();
    }

    @Override
    public long tradeId() {
        return current().tradeId();
    }

    @Override
    public String tradeIdText() {
        return current().tradeIdText();
    }

    @Override
    public void close() {}
}
