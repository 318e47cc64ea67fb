"""The objects the kubectl tests apply, as the YAML a user would write."""
import os

NAMESPACE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
"""


def deployment(replicas=2, image="nginx:1.27", labels=None, namespace="shop", memory="1Gi"):
    """A Deployment named web with one container that has a port and limits."""
    extra = "".join(f"\n    {key}: {value}" for key, value in (labels or {}).items())
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: {namespace}
  labels:
    app: web{extra}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: {image}
          ports:
            - containerPort: 80
              name: http
          resources:
            limits:
              memory: {memory}
              cpu: 500m
"""


def configmap(name="settings", namespace="shop", data=None):
    """A ConfigMap with string data."""
    lines = "".join(f"\n  {key}: {value!r}" for key, value in (data or {"mode": "fast"}).items())
    return f"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  namespace: {namespace}
data:{lines}
"""


def crd_path(name):
    """A CRD manifest of tests/sim/kubectl/crds/."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "crds", name)


SERVICE_MONITOR = """\
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: web
  namespace: shop
spec:
  endpoints:
    - port: http
      interval: 30s
  selector:
    matchLabels:
      app: web
"""
