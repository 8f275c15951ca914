#!/usr/bin/env bash
# Builds the test cluster's binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, KWOK, Helm)
# from the Go module proxy, pinned by the modules under kube-tools/, into
# ${TORMENTA_CACHE:-$HOME/.cache/tormenta}/bin/<tool>-<version>/<tool>. What is already there is not rebuilt.
# With --real-node also what a real node needs beside Debian's containerd/runc/CNI plugins: kubelet, kube-proxy, crictl,
# CoreDNS and the two static programs its images hold (pause, podfacts).
# Prints one "<tool> <path>" line per binary on stdout; progress goes to stderr.
set -euo pipefail

real_node=false
[ "${1:-}" = --real-node ] && real_node=true

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tools="$here/kube-tools"
bin_root="${TORMENTA_CACHE:-$HOME/.cache/tormenta}/bin"

# GOTOOLCHAIN=local: some dependencies name a newer toolchain; never download one, build with the Go on PATH.
# -p 2 / GOMAXPROCS=2: kube-apiserver's link alone takes GBs; on a 2-core machine more parallelism only adds memory.
export GOTOOLCHAIN=local CGO_ENABLED=0 GOMAXPROCS="${GOMAXPROCS:-2}"
export GOFLAGS="-trimpath -p=2 -mod=readonly"

# Version of <module> as required in <dir>/go.mod.
required_version() {
  awk -v m="$2" '$1 == m && $2 ~ /^v/ { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$tools/$1/go.mod"
}

# build <tool> <version> <module dir> <package> [ldflags...]
build() {
  local tool=$1 version=$2 dir=$3 pkg=$4
  shift 4
  local dest="$bin_root/$tool-$version"
  if [ ! -x "$dest/$tool" ]; then
    echo "tormenta: building $tool $version" >&2
    local started=$SECONDS
    mkdir -p "$dest"
    # Build beside the final name and rename, so an interrupted build never looks cached.
    (cd "$tools/$dir" && go build -ldflags "-s -w $*" -o "$dest/$tool.partial" "$pkg")
    mv "$dest/$tool.partial" "$dest/$tool"
    echo "tormenta: built $tool $version in $((SECONDS - started))s" >&2
  fi
  echo "$tool $dest/$tool"
}

k8s=$(required_version kubernetes k8s.io/kubernetes)
minor=$(echo "$k8s" | cut -d. -f2)
# Without these, /version reports v0.0.0 and Helm's kubeVersion checks and kubectl's skew warnings misfire.
k8s_ldflags="-X k8s.io/component-base/version.gitVersion=$k8s -X k8s.io/component-base/version.gitMajor=1"
k8s_ldflags+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"

build etcd "$(required_version etcd go.etcd.io/etcd/server/v3)" etcd .
for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  build "$cmd" "$k8s" kubernetes "k8s.io/kubernetes/cmd/$cmd" "$k8s_ldflags"
done
kwok=$(required_version kwok sigs.k8s.io/kwok)
build kwok "$kwok" kwok sigs.k8s.io/kwok/cmd/kwok
# The kwok binary ships no stages (kwokctl embeds them); take the same release's upstream ones from its module:
# nodes become Ready and keep a lease, pods become Running/Ready and are deleted.
stages="$bin_root/kwok-$kwok/stages.yaml"
if [ ! -s "$stages" ]; then
  src=$(cd "$tools/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage
  for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
    pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    echo "---"
    cat "$src/$f.yaml"
  done > "$stages.partial"
  mv "$stages.partial" "$stages"
fi
echo "kwok-stages $stages"
helm=$(required_version helm helm.sh/helm/v3)
build helm "$helm" helm helm.sh/helm/v3/cmd/helm "-X helm.sh/helm/v3/internal/version.version=$helm"

if $real_node; then
  for cmd in kubelet kube-proxy; do
    build "$cmd" "$k8s" kubernetes "k8s.io/kubernetes/cmd/$cmd" "$k8s_ldflags"
  done
  build crictl "$(required_version cri-tools sigs.k8s.io/cri-tools)" cri-tools sigs.k8s.io/cri-tools/cmd/crictl \
    "-X sigs.k8s.io/cri-tools/pkg/version.Version=$(required_version cri-tools sigs.k8s.io/cri-tools)"
  # Keyed by main.go too: it chooses the compiled-in plugins.
  coredns_hash=$(sha256sum "$tools/coredns/main.go" | cut -c1-8)
  build coredns "$(required_version coredns github.com/coredns/coredns)-$coredns_hash" coredns .
  # Versioned by the sources' hash: an edit to either program makes a new directory.
  images_hash=$(cat "$tools"/node-images/go.mod "$tools"/node-images/*/main.go | sha256sum | cut -c1-12)
  for program in pause podfacts; do
    build "$program" "$images_hash" node-images "./$program"
  done
fi
