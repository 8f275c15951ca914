// Test tooling only: the Helm CLI the chart tests install with.
module tormenta/test/cluster/kube-tools/helm

go 1.26.0

tool helm.sh/helm/v3/cmd/helm

require helm.sh/helm/v3 v3.22.0
