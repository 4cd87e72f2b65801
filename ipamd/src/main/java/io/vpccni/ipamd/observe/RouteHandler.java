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

import java.util.Map;

/** Answers one complete request: the endpoint of its path to GET, 404 for other paths, 405 for other methods. */
@ChannelHandler.Sharable
final class RouteHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(RouteHandler.class);

    private final String serverName;
    private final Map<String, Endpoint> routes;

    RouteHandler(String serverName, Map<String, Endpoint> routes) {
        this.serverName = serverName;
        this.routes = Map.copyOf(routes);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        var keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, null, false);
            return;
        }
        var path = new QueryStringDecoder(request.uri()).path();
        var endpoint = routes.get(path);
        if (endpoint == null) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, null, keepAlive);
        } else if (!request.method().equals(HttpMethod.GET)) {
            respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, null, keepAlive);
        } else {
            Endpoint.Response body;
            try {
                body = endpoint.get();
            } catch (RuntimeException e) {
                log.warn("{}: GET {} failed: {}", serverName, path, e.toString());
                respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, null, false);
                return;
            }
            respond(ctx, HttpResponseStatus.valueOf(body.status()), body, keepAlive);
        }
    }

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, Endpoint.Response body, boolean keepAlive) {
        var content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body.body());
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        if (body != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, body.contentType());
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
        log.debug("{}: closing a connection: {}", serverName, cause.toString());
        ctx.close();
    }
}
