// Copied from the organisation's peer benchmark (shared/peers/templates/main.jsonnet,
// see shared/peers/README.md) for tests/bench/build_bench.sh, with one change so that
// claw can emit the same objects: the Service listens on the container port
// (port: s.port instead of 80) and the ConfigMap's endpoint names that port. claw
// exposes each named port on its own number and has no separate Service port.
// Peer benchmark: N services -> Deployment + Service + ConfigMap each (3N objects).
// Top-level function over the list of service records; run as
//   jsonnet -y --tla-code-file services=services.json main.jsonnet -o out.yaml
local ns = 'claw';

local labels(s) = { app: s.name, 'app.kubernetes.io/part-of': 'claw' };
local meta(s, name) = { name: name, namespace: ns, labels: labels(s) };

local deployment(s) = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta(s, s.name),
  spec: {
    replicas: s.replicas,
    selector: { matchLabels: labels(s) },
    template: {
      metadata: { labels: labels(s) },
      spec: {
        nodeSelector: { 'kubernetes.io/arch': 'amd64' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'claw', effect: 'NoSchedule' }],
        containers: [{
          name: 'app',
          image: s.image,
          ports: [{ name: 'http', containerPort: s.port, protocol: 'TCP' }],
          env: [
            { name: 'LOG_LEVEL', value: s.logLevel },
            { name: 'SERVICE_NAME', value: s.name },
            { name: 'SERVICE_PORT', value: std.toString(s.port) },
          ],
          resources: {
            requests: { cpu: s.cpu, memory: s.memory },
            limits: { cpu: '1000m', memory: '512Mi' }
                    + (if s.gpu then { 'nvidia.com/gpu': '1' } else {}),
          },
        }],
      },
    },
  },
};

local service(s) = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(s, s.name),
  spec: {
    type: 'ClusterIP',
    selector: labels(s),
    ports: [{ name: 'http', port: s.port, targetPort: s.port, protocol: 'TCP' }],
  },
};

local configMap(s) = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: meta(s, s.name + '-config'),
  data: {
    'log.level': s.logLevel,
    endpoint: 'http://%s.%s.svc.cluster.local:%d' % [s.name, ns, s.port],
  },
};

function(services)
  std.flattenArrays([[deployment(s), service(s), configMap(s)] for s in services])
