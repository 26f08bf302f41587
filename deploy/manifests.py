"""Kubernetes manifests, one file per service (`deploy/k8s/<service>.yaml`).

Each service gets a ConfigMap (all of its configuration, as environment variables), a
Deployment and a Service; a service with event handlers also gets a KEDA ScaledObject
with one RabbitMQ trigger per handler queue, so it scales on its own backlog.
"""

from __future__ import annotations

from deploy.broker import VHOST
from deploy.topology import SERVICES, handler_queues
from shared.devstack.processes import service_path

NAMESPACE = "ocop"
IMAGE = "ocop-platform:0.1.0"  # `kustomize edit set image` points it at a registry
BROKER_SECRET = "ocop-broker-credentials"  # key per service user: its broker password
SIGNING_KEYS_SECRET = "ocop-signing-keys"  # province.pem and central.pem
# issuer.pem: the public key of the sign-in service whose tokens the services accept
TOKEN_ISSUERS_SECRET = "ocop-token-issuers"
ISSUERS_DIR = "/var/lib/ocop/issuers"
KEDA_AUTHENTICATION = "ocop-keda-rabbitmq"
KEYS_DIR = "/var/lib/ocop/keys"

# One handler queue holding more than this many ready messages asks for another pod.
MESSAGES_PER_POD = "50"
MAX_REPLICAS = 6

EXTRA_SETTINGS = {
    "certification": {
        "SIGNING_KEYS_DIR": KEYS_DIR,
        "SIGNING_KEYS_CREATE": "false",  # every replica must sign with the same keys
        "PUBLIC_BASE_URL": "https://verify.ocop.example.gov.vn",  # placeholder
    },
    "trade_promotion": {
        "PUBLIC_BASE_URL": "https://ocop.example.gov.vn",  # placeholder
        "VERIFY_BASE_URL": "https://verify.ocop.example.gov.vn",  # placeholder
    },
}


def k8s_name(service: str) -> str:
    return service.replace("_", "-")  # object names are DNS labels: no underscores


def labels(service: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": k8s_name(service), "app.kubernetes.io/part-of": "ocop"}


def service_manifests(service: str) -> list[dict]:
    documents = [config_map(service), deployment(service), cluster_service(service)]
    if handler_queues(service):
        documents.append(scaled_object(service))
    return documents


def config_map(service: str) -> dict:
    prefix = service.upper()
    data = {
        "BROKER_ADDRESS": "rabbitmq:5672",
        "BROKER_VHOST": VHOST,
        "MONGO_URI": "mongodb://mongodb:27017/?replicaSet=rs0",
        f"{prefix}_DB": f"ocop_{service}",
        f"{prefix}_HTTP": f"0.0.0.0:{SERVICES[service]}",
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "json",
        "MAX_WORKERS": "10",
        "ACCESS_DB": "ocop_access",  # API keys: `ocop keys create|list|revoke`
        "AUTH_JWT_PUBLIC_KEYS": f"{ISSUERS_DIR}/issuer.pem",
        # behind the cluster's ingress every request comes from a private address: without
        # this, every client would share the ingress's rate limits. Narrow it to the
        # ingress controller's pod range where that is known.
        "TRUSTED_PROXIES": "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7",
        **EXTRA_SETTINGS.get(service, {}),
    }
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": k8s_name(service), "labels": labels(service)},
        "data": data,
    }


def deployment(service: str) -> dict:
    name = k8s_name(service)
    port = SERVICES[service]
    container = {
        "name": name,
        "image": IMAGE,
        "command": [
            "nameko",
            "run",
            "--config",
            f"services/{service}/config.yml",
            service_path(service),
        ],
        "ports": [{"name": "http", "containerPort": port}],
        "envFrom": [{"configMapRef": {"name": name}}],
        "env": [
            {
                "name": "BROKER_PASSWORD",
                "valueFrom": {"secretKeyRef": {"name": BROKER_SECRET, "key": service}},
            },
            {
                # $(VAR) is expanded by Kubernetes from the variables above and the ConfigMap
                "name": "AMQP_URI",
                "value": f"pyamqp://{service}:$(BROKER_PASSWORD)@$(BROKER_ADDRESS)/$(BROKER_VHOST)",
            },
        ],
        "livenessProbe": _probe("/health/live", period=10, failures=3, delay=20),
        "readinessProbe": _probe("/health/ready", period=5, failures=2, delay=5),
        "resources": {
            "requests": {"cpu": "100m", "memory": "256Mi"},
            "limits": {"cpu": "1", "memory": "512Mi"},
        },
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
        },
    }
    pod_spec: dict = {
        "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001},
        # nameko stops gracefully on SIGTERM: running workers finish, unacked messages return
        "terminationGracePeriodSeconds": 30,
        "containers": [container],
    }
    mounts: list[dict] = [{"name": "token-issuers", "mountPath": ISSUERS_DIR, "readOnly": True}]
    volumes: list[dict] = [
        {"name": "token-issuers", "secret": {"secretName": TOKEN_ISSUERS_SECRET}}
    ]
    if service == "certification":
        mounts.append({"name": "signing-keys", "mountPath": KEYS_DIR})
        volumes.append({"name": "signing-keys", "secret": {"secretName": SIGNING_KEYS_SECRET}})
    container["volumeMounts"] = mounts
    pod_spec["volumes"] = volumes
    spec: dict = {
        "selector": {"matchLabels": labels(service)},
        "template": {
            "metadata": {
                "labels": labels(service),
                "annotations": {
                    "prometheus.io/scrape": "true",
                    "prometheus.io/port": str(port),
                    "prometheus.io/path": "/metrics",
                },
            },
            "spec": pod_spec,
        },
    }
    if not handler_queues(service):
        spec = {"replicas": 2, **spec}  # otherwise KEDA owns the replica count
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels(service)},
        "spec": spec,
    }


def cluster_service(service: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": k8s_name(service), "labels": labels(service)},
        "spec": {
            "selector": labels(service),
            "ports": [{"name": "http", "port": SERVICES[service], "targetPort": "http"}],
        },
    }


def scaled_object(service: str) -> dict:
    triggers = [
        {
            "type": "rabbitmq",
            "metadata": {
                "protocol": "amqp",
                "queueName": queue.name,
                "mode": "QueueLength",
                "value": MESSAGES_PER_POD,
                "vhostName": VHOST,
            },
            "authenticationRef": {"name": KEDA_AUTHENTICATION},
        }
        for queue in handler_queues(service)
    ]
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": {"name": k8s_name(service), "labels": labels(service)},
        "spec": {
            "scaleTargetRef": {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": k8s_name(service),
            },
            # never zero: the same pods answer the service's HTTP API
            "minReplicaCount": 1,
            "maxReplicaCount": MAX_REPLICAS,
            "pollingInterval": 15,
            # (cooldownPeriod only applies to scaling to zero) the HPA scales down once
            # the demand has stayed lower for this long, so a burst does not flap pods
            "advanced": {
                "horizontalPodAutoscalerConfig": {
                    "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300}}
                }
            },
            "triggers": triggers,
        },
    }


def namespace() -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}


def trigger_authentication() -> dict:
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "TriggerAuthentication",
        "metadata": {"name": KEDA_AUTHENTICATION, "labels": {"app.kubernetes.io/part-of": "ocop"}},
        "spec": {
            "secretTargetRef": [
                # amqp://keda:<password>@rabbitmq:5672/ocop: the keda user may only look
                {"parameter": "host", "name": KEDA_AUTHENTICATION, "key": "host"}
            ]
        },
    }


def kustomization(service_files: list[str]) -> dict:
    return {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "namespace": NAMESPACE,
        # the Secrets are not here: see secret.template.yaml and deploy/README.md
        "resources": ["namespace.yaml", "keda-trigger-authentication.yaml", *service_files],
        "images": [{"name": IMAGE.split(":")[0], "newTag": IMAGE.split(":")[1]}],
    }


def _probe(path: str, *, period: int, failures: int, delay: int) -> dict:
    return {
        "httpGet": {"path": path, "port": "http"},
        "initialDelaySeconds": delay,
        "periodSeconds": period,
        "timeoutSeconds": 3,
        "failureThreshold": failures,
    }
