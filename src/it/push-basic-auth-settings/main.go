package main

import "fmt"

func main() {
	fmt.Println("pushed with basic auth")
}
