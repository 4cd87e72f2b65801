package io.vpccni.ipamd.observe;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Answers one complete request: the Prometheus text at {@code GET /metrics}, 404 elsewhere, 405 for other methods. */
@ChannelHandler.Sharable
final class ScrapeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ScrapeHandler.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> scrape;

    ScrapeHandler(Supplier<String> scrape) {
        this.scrape = scrape;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, null, false);
        } else if (!new QueryStringDecoder(request.uri()).path().equals("/metrics")) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, null, HttpUtil.isKeepAlive(request));
        } else if (!request.method().equals(HttpMethod.GET)) {
            respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, null, HttpUtil.isKeepAlive(request));
        } else {
            String body;
            try {
                body = scrape.get();
            } catch (RuntimeException e) {
                log.warn("metrics: a scrape failed: {}", e.toString());
                respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, null, false);
                return;
            }
            respond(ctx, HttpResponseStatus.OK, body, HttpUtil.isKeepAlive(request));
        }
    }

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body, boolean keepAlive) {
        var content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8));
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        if (body != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT);
        }
        HttpUtil.setContentLength(response, content.readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("metrics: closing a connection: {}", cause.toString());
        ctx.close();
    }
}
