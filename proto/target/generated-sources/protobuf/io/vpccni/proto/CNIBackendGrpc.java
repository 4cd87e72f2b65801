package io.vpccni.proto;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class CNIBackendGrpc {

  private CNIBackendGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rpc.CNIBackend";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<io.vpccni.proto.AddNetworkRequest,
      io.vpccni.proto.AddNetworkReply> getAddNetworkMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "AddNetwork",
      requestType = io.vpccni.proto.AddNetworkRequest.class,
      responseType = io.vpccni.proto.AddNetworkReply.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.vpccni.proto.AddNetworkRequest,
      io.vpccni.proto.AddNetworkReply> getAddNetworkMethod() {
    io.grpc.MethodDescriptor<io.vpccni.proto.AddNetworkRequest, io.vpccni.proto.AddNetworkReply> getAddNetworkMethod;
    if ((getAddNetworkMethod = CNIBackendGrpc.getAddNetworkMethod) == null) {
      synchronized (CNIBackendGrpc.class) {
        if ((getAddNetworkMethod = CNIBackendGrpc.getAddNetworkMethod) == null) {
          CNIBackendGrpc.getAddNetworkMethod = getAddNetworkMethod =
              io.grpc.MethodDescriptor.<io.vpccni.proto.AddNetworkRequest, io.vpccni.proto.AddNetworkReply>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "AddNetwork"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.vpccni.proto.AddNetworkRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.vpccni.proto.AddNetworkReply.getDefaultInstance()))
              .setSchemaDescriptor(new CNIBackendMethodDescriptorSupplier("AddNetwork"))
              .build();
        }
      }
    }
    return getAddNetworkMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.vpccni.proto.DelNetworkRequest,
      io.vpccni.proto.DelNetworkReply> getDelNetworkMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DelNetwork",
      requestType = io.vpccni.proto.DelNetworkRequest.class,
      responseType = io.vpccni.proto.DelNetworkReply.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.vpccni.proto.DelNetworkRequest,
      io.vpccni.proto.DelNetworkReply> getDelNetworkMethod() {
    io.grpc.MethodDescriptor<io.vpccni.proto.DelNetworkRequest, io.vpccni.proto.DelNetworkReply> getDelNetworkMethod;
    if ((getDelNetworkMethod = CNIBackendGrpc.getDelNetworkMethod) == null) {
      synchronized (CNIBackendGrpc.class) {
        if ((getDelNetworkMethod = CNIBackendGrpc.getDelNetworkMethod) == null) {
          CNIBackendGrpc.getDelNetworkMethod = getDelNetworkMethod =
              io.grpc.MethodDescriptor.<io.vpccni.proto.DelNetworkRequest, io.vpccni.proto.DelNetworkReply>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DelNetwork"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.vpccni.proto.DelNetworkRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.vpccni.proto.DelNetworkReply.getDefaultInstance()))
              .setSchemaDescriptor(new CNIBackendMethodDescriptorSupplier("DelNetwork"))
              .build();
        }
      }
    }
    return getDelNetworkMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static CNIBackendStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CNIBackendStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CNIBackendStub>() {
        @java.lang.Override
        public CNIBackendStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CNIBackendStub(channel, callOptions);
        }
      };
    return CNIBackendStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static CNIBackendBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CNIBackendBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CNIBackendBlockingV2Stub>() {
        @java.lang.Override
        public CNIBackendBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CNIBackendBlockingV2Stub(channel, callOptions);
        }
      };
    return CNIBackendBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static CNIBackendBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CNIBackendBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CNIBackendBlockingStub>() {
        @java.lang.Override
        public CNIBackendBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CNIBackendBlockingStub(channel, callOptions);
        }
      };
    return CNIBackendBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static CNIBackendFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CNIBackendFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CNIBackendFutureStub>() {
        @java.lang.Override
        public CNIBackendFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CNIBackendFutureStub(channel, callOptions);
        }
      };
    return CNIBackendFutureStub.newStub(factory, channel);
  }

  /**
   */
  public interface AsyncService {

    /**
     */
    default void addNetwork(io.vpccni.proto.AddNetworkRequest request,
        io.grpc.stub.StreamObserver<io.vpccni.proto.AddNetworkReply> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getAddNetworkMethod(), responseObserver);
    }

    /**
     */
    default void delNetwork(io.vpccni.proto.DelNetworkRequest request,
        io.grpc.stub.StreamObserver<io.vpccni.proto.DelNetworkReply> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDelNetworkMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service CNIBackend.
   */
  public static abstract class CNIBackendImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return CNIBackendGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service CNIBackend.
   */
  public static final class CNIBackendStub
      extends io.grpc.stub.AbstractAsyncStub<CNIBackendStub> {
    private CNIBackendStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CNIBackendStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CNIBackendStub(channel, callOptions);
    }

    /**
     */
    public void addNetwork(io.vpccni.proto.AddNetworkRequest request,
        io.grpc.stub.StreamObserver<io.vpccni.proto.AddNetworkReply> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getAddNetworkMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void delNetwork(io.vpccni.proto.DelNetworkRequest request,
        io.grpc.stub.StreamObserver<io.vpccni.proto.DelNetworkReply> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDelNetworkMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service CNIBackend.
   */
  public static final class CNIBackendBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<CNIBackendBlockingV2Stub> {
    private CNIBackendBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CNIBackendBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CNIBackendBlockingV2Stub(channel, callOptions);
    }

    /**
     */
    public io.vpccni.proto.AddNetworkReply addNetwork(io.vpccni.proto.AddNetworkRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getAddNetworkMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.vpccni.proto.DelNetworkReply delNetwork(io.vpccni.proto.DelNetworkRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDelNetworkMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service CNIBackend.
   */
  public static final class CNIBackendBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<CNIBackendBlockingStub> {
    private CNIBackendBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CNIBackendBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CNIBackendBlockingStub(channel, callOptions);
    }

    /**
     */
    public io.vpccni.proto.AddNetworkReply addNetwork(io.vpccni.proto.AddNetworkRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getAddNetworkMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.vpccni.proto.DelNetworkReply delNetwork(io.vpccni.proto.DelNetworkRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDelNetworkMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service CNIBackend.
   */
  public static final class CNIBackendFutureStub
      extends io.grpc.stub.AbstractFutureStub<CNIBackendFutureStub> {
    private CNIBackendFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CNIBackendFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CNIBackendFutureStub(channel, callOptions);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.vpccni.proto.AddNetworkReply> addNetwork(
        io.vpccni.proto.AddNetworkRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getAddNetworkMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.vpccni.proto.DelNetworkReply> delNetwork(
        io.vpccni.proto.DelNetworkRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDelNetworkMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_ADD_NETWORK = 0;
  private static final int METHODID_DEL_NETWORK = 1;

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
        case METHODID_ADD_NETWORK:
          serviceImpl.addNetwork((io.vpccni.proto.AddNetworkRequest) request,
              (io.grpc.stub.StreamObserver<io.vpccni.proto.AddNetworkReply>) responseObserver);
          break;
        case METHODID_DEL_NETWORK:
          serviceImpl.delNetwork((io.vpccni.proto.DelNetworkRequest) request,
              (io.grpc.stub.StreamObserver<io.vpccni.proto.DelNetworkReply>) responseObserver);
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
          getAddNetworkMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.vpccni.proto.AddNetworkRequest,
              io.vpccni.proto.AddNetworkReply>(
                service, METHODID_ADD_NETWORK)))
        .addMethod(
          getDelNetworkMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.vpccni.proto.DelNetworkRequest,
              io.vpccni.proto.DelNetworkReply>(
                service, METHODID_DEL_NETWORK)))
        .build();
  }

  private static abstract class CNIBackendBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    CNIBackendBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return io.vpccni.proto.RpcProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("CNIBackend");
    }
  }

  private static final class CNIBackendFileDescriptorSupplier
      extends CNIBackendBaseDescriptorSupplier {
    CNIBackendFileDescriptorSupplier() {}
  }

  private static final class CNIBackendMethodDescriptorSupplier
      extends CNIBackendBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    CNIBackendMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (CNIBackendGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new CNIBackendFileDescriptorSupplier())
              .addMethod(getAddNetworkMethod())
              .addMethod(getDelNetworkMethod())
              .build();
        }
      }
    }
    return result;
  }
}
