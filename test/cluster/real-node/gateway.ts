// What pods on the real node reach of the host: the API server, the stack's HBase REST and Prometheus all listen on
// 127.0.0.1 only, which inside a pod is the pod itself. One socat forwarder per port, bound on the node's bridge
// address (never beyond the bridge), passes connections through unchanged — TLS included, so in-cluster clients still
// verify the API server's certificate (its SANs hold 10.0.0.1, the `kubernetes` Service's ClusterIP). The API server runs
// with --endpoint-reconciler-type=none, so the `kubernetes` Service gets its EndpointSlice here, pointing at the
// forwarder; kube-proxy then routes 10.0.0.1:443 to it. Kafka cannot be forwarded (clients follow its advertised
// listeners): a test gives its own broker a listener on the node address instead (test/stack/private-kafka.ts).
import { ports as stackPorts } from '../../stack/layout.ts';
import { apiRequest } from '../api.ts';
import { isPortOpen } from '../../stack/processes.ts';
import { ComponentError, startProcess, stopProcess, waitUntil } from '../processes.ts';
import { NODE_IP } from './host.ts';

export const SOCAT = '/usr/bin/socat';
export const gatewayComponents = ['apiserver-gateway', 'hbase-rest-gateway', 'prometheus-gateway'] as const;
export type GatewayComponent = (typeof gatewayComponents)[number];

/** What a pod on the real node uses for the stack's HBase REST and Prometheus (same ports as on 127.0.0.1). */
export const podGateway = {
  hbaseRest: `http://${NODE_IP}:${stackPorts.hbaseRest}`,
  prometheus: `http://${NODE_IP}:${stackPorts.prometheus}`,
};

const KUBERNETES_SLICE = 'kubernetes-real-node';
const SLICES = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';

/** Starts the forwarders (the bridge must hold NODE_IP) and points the `kubernetes` Service at the API server's. */
export async function gatewaysUp(apiserverPort: number): Promise<void> {
  const targets: Record<GatewayComponent, number> = {
    'apiserver-gateway': apiserverPort,
    'hbase-rest-gateway': stackPorts.hbaseRest,
    'prometheus-gateway': stackPorts.prometheus,
  };
  for (const name of gatewayComponents) {
    const port = targets[name];
    // fork: one child per connection; a target that is down (the stack not started) only refuses that connection.
    startProcess({
      name,
      command: SOCAT,
      args: ['-d', `TCP-LISTEN:${port},bind=${NODE_IP},reuseaddr,fork`, `TCP:127.0.0.1:${port}`],
    });
  }
  for (const name of gatewayComponents) {
    await waitUntil(name, `listening on ${NODE_IP}:${targets[name]}`, () => isPortOpen(NODE_IP, targets[name]), 10_000);
  }
  const slice = {
    metadata: {
      name: KUBERNETES_SLICE,
      labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'real-node.tormenta.dev' },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [NODE_IP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: apiserverPort, protocol: 'TCP' }],
  };
  await apiRequest('DELETE', `${SLICES}/${KUBERNETES_SLICE}`);
  const { status, body } = await apiRequest('POST', SLICES, slice);
  if (status !== 201) throw new ComponentError('kube-apiserver', `creating EndpointSlice ${KUBERNETES_SLICE}: ${status} ${body}`);
}

export async function gatewaysDown(): Promise<GatewayComponent[]> {
  const stopped: GatewayComponent[] = [];
  for (const name of gatewayComponents) if (await stopProcess(name, 2_000)) stopped.push(name);
  await apiRequest('DELETE', `${SLICES}/${KUBERNETES_SLICE}`).catch(() => {
    // the control plane is down: no EndpointSlice left to point at a stopped forwarder
  });
  return stopped;
}
