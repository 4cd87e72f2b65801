package io.vpccni.ipamd.observe;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the connections a server holds: on the listening channel, each accepted connection over the limit is
 * closed before it is registered, so it costs neither a buffer nor a timer. Refusals are not logged: a flood
 * of them would otherwise become a flood of log lines.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();  // accepts on the event loop, closes on any thread

    ConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        var connection = (Channel) msg;
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            connection.unsafe().closeForcibly();
            return;
        }
        connection.closeFuture().addListener(closed -> open.decrementAndGet());
        ctx.fireChannelRead(connection);
    }
}
