module github.com/nameauth/nameauth/benches/peers/go

go 1.22

require github.com/nameauth/nameauth/bindings/go v0.0.0

replace github.com/nameauth/nameauth/bindings/go => ../../../bindings/go
