#include "core/policy/corridor_algebra.hpp"

#include <vector>

namespace bridges::core {

CorridorAlgebra::CorridorAlgebra(const World& w) : world_(&w) {
    const auto nc = static_cast<Eigen::Index>(w.countries.size());
    const auto nk = static_cast<Eigen::Index>(w.corridors.size());
    std::vector<Eigen::Triplet<double>> o, h;
    for (Eigen::Index k = 0; k < nk; ++k) {
        o.emplace_back(w.corridors.origin[k], k, 1.0);
        h.emplace_back(w.corridors.host[k], k, 1.0);
    }
    origin_.resize(nc, nk);
    host_.resize(nc, nk);
    origin_.setFromTriplets(o.begin(), o.end());
    host_.setFromTriplets(h.begin(), h.end());
}

Eigen::MatrixXd CorridorAlgebra::matrix(const Eigen::VectorXd& per_corridor) const {
    const auto nc = static_cast<Eigen::Index>(world_->countries.size());
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(nc, nc);
    for (Eigen::Index k = 0; k < per_corridor.size(); ++k)
        m(world_->corridors.origin[k], world_->corridors.host[k]) += per_corridor[k];
    return m;
}

Eigen::VectorXd CorridorAlgebra::destination_concentration() const {
    const auto& stock = world_->corridors.stock;
    const Eigen::VectorXd s =
        Eigen::Map<const Eigen::VectorXd>(stock.data(), static_cast<Eigen::Index>(stock.size()));
    const Eigen::MatrixXd m = matrix(s);
    const Eigen::VectorXd totals = m.rowwise().sum();
    Eigen::VectorXd hhi = Eigen::VectorXd::Zero(m.rows());
    for (Eigen::Index o = 0; o < m.rows(); ++o)
        if (totals[o] > 0) hhi[o] = (m.row(o) / totals[o]).squaredNorm();
    return hhi;
}

} // namespace bridges::core
