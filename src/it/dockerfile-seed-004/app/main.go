package main

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
)

// Reports the CA bundle the image gives it: the seed's Dockerfile installed ca-certificates
// on alpine so that the app can make TLS connections.
func main() {
	const bundle = "/etc/ssl/certs/ca-certificates.crt"
	data, err := os.ReadFile(bundle)
	if err != nil {
		fmt.Println("no CA bundle:", err)
		os.Exit(1)
	}
	count := 0
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		if _, err := x509.ParseCertificate(block.Bytes); err == nil {
			count++
		}
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		fmt.Println("system cert pool unavailable:", err)
		os.Exit(1)
	}
	fmt.Printf("CA bundle %s: %d certificates\n", bundle, count)
}
