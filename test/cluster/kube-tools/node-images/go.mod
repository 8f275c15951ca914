// Test tooling only: the two tiny static programs the real node's images are made of (no dependencies).
module tormenta/test/cluster/kube-tools/node-images

go 1.26.0
