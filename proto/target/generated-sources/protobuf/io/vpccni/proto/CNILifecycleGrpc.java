package io.vpccni.proto;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * CNI verbs upstream has no RPC for.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class CNILifecycleGrpc {

  private CNILifecycleGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rpc.CNILifecycle";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<io.vpccni.proto.CheckNetworkRequest,
      io.vpccni.proto.CheckNetworkReply> getCheckNetworkMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CheckNetwork",
      requestType = io.vpccni.proto.CheckNetworkRequest.class,
      responseType = io.vpccni.proto.CheckNetworkReply.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.vpccni.proto.CheckNetworkRequest,
      io.vpccni.proto.CheckNetworkReply> getCheckNetworkMethod() {
    io.grpc.MethodDescriptor<io.vpccni.proto.CheckNetworkRequest, io.vpccni.proto.CheckNetworkReply> getCheckNetworkMethod;
    if ((getCheckNetworkMethod = CNILifecycleGrpc.getCheckNetworkMethod) == null) {
      synchronized (CNILifecycleGrpc.class) {
        if ((getCheckNetworkMethod = CNILifecycleGrpc.getCheckNetworkMethod) == null) {
          CNILifecycleGrpc.getCheckNetworkMethod = getCheckNetworkMethod =
              io.grpc.MethodDescriptor.<io.vpccni.proto.CheckNetworkRequest, io.vpccni.proto.CheckNetworkReply>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CheckNetwork"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.vpccni.proto.CheckNetworkRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.vpccni.proto.CheckNetworkReply.getDefaultInstance()))
              .setSchemaDescriptor(new CNILifecycleMethodDescriptorSupplier("CheckNetwork"))
              .build();
        }
      }
    }
    return getCheckNetworkMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.vpccni.proto.StatusRequest,
      io.vpccni.proto.StatusReply> getStatusMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Status",
      requestType = io.vpccni.proto.StatusRequest.class,
      responseType = io.vpccni.proto.StatusReply.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.vpccni.proto.StatusRequest,
      io.vpccni.proto.StatusReply> getStatusMethod() {
    io.grpc.MethodDescriptor<io.vpccni.proto.StatusRequest, io.vpccni.proto.StatusReply> getStatusMethod;
    if ((getStatusMethod = CNILifecycleGrpc.getStatusMethod) == null) {
      synchronized (CNILifecycleGrpc.class) {
        if ((getStatusMethod = CNILifecycleGrpc.getStatusMethod) == null) {
          CNILifecycleGrpc.getStatusMethod = getStatusMethod =
              io.grpc.MethodDescriptor.<io.vpccni.proto.StatusRequest, io.vpccni.proto.StatusReply>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Status"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.vpccni.proto.StatusRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.vpccni.proto.StatusReply.getDefaultInstance()))
              .setSchemaDescriptor(new CNILifecycleMethodDescriptorSupplier("Status"))
              .build();
        }
      }
    }
    return getStatusMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.vpccni.proto.GarbageCollectRequest,
      io.vpccni.proto.GarbageCollectReply> getGarbageCollectMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GarbageCollect",
      requestType = io.vpccni.proto.GarbageCollectRequest.class,
      responseType = io.vpccni.proto.GarbageCollectReply.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.vpccni.proto.GarbageCollectRequest,
      io.vpccni.proto.GarbageCollectReply> getGarbageCollectMethod() {
    io.grpc.MethodDescriptor<io.vpccni.proto.GarbageCollectRequest, io.vpccni.proto.GarbageCollectReply> getGarbageCollectMethod;
    if ((getGarbageCollectMethod = CNILifecycleGrpc.getGarbageCollectMethod) == null) {
      synchronized (CNILifecycleGrpc.class) {
        if ((getGarbageCollectMethod = CNILifecycleGrpc.getGarbageCollectMethod) == null) {
          CNILifecycleGrpc.getGarbageCollectMethod = getGarbageCollectMethod =
              io.grpc.MethodDescriptor.<io.vpccni.proto.GarbageCollectRequest, io.vpccni.proto.GarbageCollectReply>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GarbageCollect"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.vpccni.proto.GarbageCollectRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.vpccni.proto.GarbageCollectReply.getDefaultInstance()))
              .setSchemaDescriptor(new CNILifecycleMethodDescriptorSupplier("GarbageCollect"))
              .build();
        }
      }
    }
    return getGarbageCollectMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static CNILifecycleStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CNILifecycleStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CNILifecycleStub>() {
        @java.lang.Override
        public CNILifecycleStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CNILifecycleStub(channel, callOptions);
        }
      };
    return CNILifecycleStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static CNILifecycleBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CNILifecycleBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CNILifecycleBlockingV2Stub>() {
        @java.lang.Override
        public CNILifecycleBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CNILifecycleBlockingV2Stub(channel, callOptions);
        }
      };
    return CNILifecycleBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static CNILifecycleBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CNILifecycleBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CNILifecycleBlockingStub>() {
        @java.lang.Override
        public CNILifecycleBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CNILifecycleBlockingStub(channel, callOptions);
        }
      };
    return CNILifecycleBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static CNILifecycleFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CNILifecycleFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CNILifecycleFutureStub>() {
        @java.lang.Override
        public CNILifecycleFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CNILifecycleFutureStub(channel, callOptions);
        }
      };
    return CNILifecycleFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * CNI verbs upstream has no RPC for.
   * </pre>
   */
  public interface AsyncService {

    /**
     */
    default void checkNetwork(io.vpccni.proto.CheckNetworkRequest request,
        io.grpc.stub.StreamObserver<io.vpccni.proto.CheckNetworkReply> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCheckNetworkMethod(), responseObserver);
    }

    /**
     */
    default void status(io.vpccni.proto.StatusRequest request,
        io.grpc.stub.StreamObserver<io.vpccni.proto.StatusReply> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getStatusMethod(), responseObserver);
    }

    /**
     */
    default void garbageCollect(io.vpccni.proto.GarbageCollectRequest request,
        io.grpc.stub.StreamObserver<io.vpccni.proto.GarbageCollectReply> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGarbageCollectMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service CNILifecycle.
   * <pre>
   * CNI verbs upstream has no RPC for.
   * </pre>
   */
  public static abstract class CNILifecycleImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return CNILifecycleGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service CNILifecycle.
   * <pre>
   * CNI verbs upstream has no RPC for.
   * </pre>
   */
  public static final class CNILifecycleStub
      extends io.grpc.stub.AbstractAsyncStub<CNILifecycleStub> {
    private CNILifecycleStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CNILifecycleStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CNILifecycleStub(channel, callOptions);
    }

    /**
     */
    public void checkNetwork(io.vpccni.proto.CheckNetworkRequest request,
        io.grpc.stub.StreamObserver<io.vpccni.proto.CheckNetworkReply> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCheckNetworkMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void status(io.vpccni.proto.StatusRequest request,
        io.grpc.stub.StreamObserver<io.vpccni.proto.StatusReply> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getStatusMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void garbageCollect(io.vpccni.proto.GarbageCollectRequest request,
        io.grpc.stub.StreamObserver<io.vpccni.proto.GarbageCollectReply> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGarbageCollectMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service CNILifecycle.
   * <pre>
   * CNI verbs upstream has no RPC for.
   * </pre>
   */
  public static final class CNILifecycleBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<CNILifecycleBlockingV2Stub> {
    private CNILifecycleBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CNILifecycleBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CNILifecycleBlockingV2Stub(channel, callOptions);
    }

    /**
     */
    public io.vpccni.proto.CheckNetworkReply checkNetwork(io.vpccni.proto.CheckNetworkRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCheckNetworkMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.vpccni.proto.StatusReply status(io.vpccni.proto.StatusRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getStatusMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.vpccni.proto.GarbageCollectReply garbageCollect(io.vpccni.proto.GarbageCollectRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGarbageCollectMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service CNILifecycle.
   * <pre>
   * CNI verbs upstream has no RPC for.
   * </pre>
   */
  public static final class CNILifecycleBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<CNILifecycleBlockingStub> {
    private CNILifecycleBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CNILifecycleBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CNILifecycleBlockingStub(channel, callOptions);
    }

    /**
     */
    public io.vpccni.proto.CheckNetworkReply checkNetwork(io.vpccni.proto.CheckNetworkRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCheckNetworkMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.vpccni.proto.StatusReply status(io.vpccni.proto.StatusRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getStatusMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.vpccni.proto.GarbageCollectReply garbageCollect(io.vpccni.proto.GarbageCollectRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGarbageCollectMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service CNILifecycle.
   * <pre>
   * CNI verbs upstream has no RPC for.
   * </pre>
   */
  public static final class CNILifecycleFutureStub
      extends io.grpc.stub.AbstractFutureStub<CNILifecycleFutureStub> {
    private CNILifecycleFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CNILifecycleFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CNILifecycleFutureStub(channel, callOptions);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.vpccni.proto.CheckNetworkReply> checkNetwork(
        io.vpccni.proto.CheckNetworkRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCheckNetworkMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.vpccni.proto.StatusReply> status(
        io.vpccni.proto.StatusRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getStatusMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.vpccni.proto.GarbageCollectReply> garbageCollect(
        io.vpccni.proto.GarbageCollectRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGarbageCollectMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_CHECK_NETWORK = 0;
  private static final int METHODID_STATUS = 1;
  private static final int METHODID_GARBAGE_COLLECT = 2;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_CHECK_NETWORK:
          serviceImpl.checkNetwork((io.vpccni.proto.CheckNetworkRequest) request,
              (io.grpc.stub.StreamObserver<io.vpccni.proto.CheckNetworkReply>) responseObserver);
          break;
        case METHODID_STATUS:
          serviceImpl.status((io.vpccni.proto.StatusRequest) request,
              (io.grpc.stub.StreamObserver<io.vpccni.proto.StatusReply>) responseObserver);
          break;
        case METHODID_GARBAGE_COLLECT:
          serviceImpl.garbageCollect((io.vpccni.proto.GarbageCollectRequest) request,
              (io.grpc.stub.StreamObserver<io.vpccni.proto.GarbageCollectReply>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getCheckNetworkMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.vpccni.proto.CheckNetworkRequest,
              io.vpccni.proto.CheckNetworkReply>(
                service, METHODID_CHECK_NETWORK)))
        .addMethod(
          getStatusMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.vpccni.proto.StatusRequest,
              io.vpccni.proto.StatusReply>(
                service, METHODID_STATUS)))
        .addMethod(
          getGarbageCollectMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.vpccni.proto.GarbageCollectRequest,
              io.vpccni.proto.GarbageCollectReply>(
                service, METHODID_GARBAGE_COLLECT)))
        .build();
  }

  private static abstract class CNILifecycleBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    CNILifecycleBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return io.vpccni.proto.RpcProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("CNILifecycle");
    }
  }

  private static final class CNILifecycleFileDescriptorSupplier
      extends CNILifecycleBaseDescriptorSupplier {
    CNILifecycleFileDescriptorSupplier() {}
  }

  private static final class CNILifecycleMethodDescriptorSupplier
      extends CNILifecycleBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    CNILifecycleMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (CNILifecycleGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new CNILifecycleFileDescriptorSupplier())
              .addMethod(getCheckNetworkMethod())
              .addMethod(getStatusMethod())
              .addMethod(getGarbageCollectMethod())
              .build();
        }
      }
    }
    return result;
  }
}
