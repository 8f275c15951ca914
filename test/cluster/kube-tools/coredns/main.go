// CoreDNS with only the plugins cluster DNS needs (upstream's binary compiles in every cloud and database plugin): a
// zone from the Kubernetes API, a cache, health and readiness endpoints. No forward plugin: nothing leaves the machine.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/ready"
)

// Order matters: it is the order plugins see a query in (upstream's plugin.cfg order, restricted to these).
func init() {
	dnsserver.Directives = []string{"bind", "ready", "health", "errors", "cache", "kubernetes"}
}

func main() {
	coremain.Run()
}
