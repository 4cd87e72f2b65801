package io.vpccni.ipamd.observe;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One request at a time per connection, each complete within a deadline.
 *
 * <p>The deadline runs from the connection's opening, and again from each response, until a whole request has
 * arrived; it is not extended by partial data, so a client trickling a byte at a time is closed as surely as
 * one that sends nothing. It also covers a response the client never reads. Reading pauses while a request
 * is served, so a client pipelining requests without reading the answers cannot pile responses up here.
 */
final class ConnectionPacing extends ChannelDuplexHandler {
    private final long timeoutNanos;
    private ScheduledFuture<?> deadline;

    ConnectionPacing(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
            disarm();
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {  // the end of a response
            arm(ctx);
            promise = promise.unvoid();
            promise.addListener(written -> {
                if (written.isSuccess()) {
                    ctx.channel().config().setAutoRead(true);
                }
            });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        deadline = ctx.executor().schedule((Runnable) ctx::close, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
