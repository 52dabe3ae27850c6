"""镜享 Jingxiang: service platform for an industrial cluster."""
